import type { DiscoveryVaults, ExpiringItem, RouteView } from './api-types';

type Vault = DiscoveryVaults['vaults'][number];

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
/** The notifier's default tag names (setting notify.tagNames) and its name for "no route". */
const TAGS = { owner: 'owner', team: 'team' };
const DEFAULT_TEAM = 'Default';

function tag(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(tags)) if (key.toLowerCase() === name && value.trim()) return value.trim();
  return undefined;
}

/**
 * The team an item's notifications carry, by the rules of shared/notify/notify-routing.ts `routeItem` (which
 * the browser cannot import without bundling zod): the vault's `team` tag or `owner` emails, then the route
 * for the vault's subscription, then the `*` route, then "Default". The item list carries no team, so the
 * page joins vaults and routes here.
 */
export function teamResolver(vaults: readonly Vault[], routes: readonly RouteView[]): (item: ExpiringItem) => string {
  const byVault = new Map(vaults.map((v) => [`${v.subscriptionName}/${v.vaultName}`, v]));
  const wildcard = routes.find((r) => r.subscriptionId === '*');
  return (item) => {
    const vault = byVault.get(`${item.subscriptionName ?? ''}/${item.vaultName ?? ''}`);
    const tags = vault?.tags ?? {};
    const owners = (tag(tags, TAGS.owner) ?? '')
      .split(/[,;]/)
      .map((e) => e.trim())
      .filter((e) => EMAIL.test(e));
    const teamTag = tag(tags, TAGS.team);
    const teamRoute = teamTag ? routes.find((r) => r.teamName.toLowerCase() === teamTag.toLowerCase()) : undefined;
    if (owners.length > 0 || teamRoute) return teamTag ?? teamRoute?.teamName ?? owners.join(', ');
    const route = routes.find((r) => vault && r.subscriptionId === vault.subscriptionId) ?? wildcard;
    return teamTag ?? route?.teamName ?? DEFAULT_TEAM;
  };
}
