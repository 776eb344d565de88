import type { DiscoveryVaults, ExpiringItem, RouteView } from './api-types';

type Vault = DiscoveryVaults['vaults'][number];

/**
 * The team an item belongs to, in the notifier's order: the vault's `team` tag, then the route for the
 * vault's subscription, then the `*` route. The API lists items without teams, so the page joins them here.
 */
export function teamResolver(vaults: readonly Vault[], routes: readonly RouteView[]): (item: ExpiringItem) => string {
  const byVault = new Map(vaults.map((v) => [`${v.subscriptionName}/${v.vaultName}`, v]));
  const bySubscription = new Map(
    routes.filter((r) => r.subscriptionId !== '*').map((r) => [r.subscriptionId, r.teamName]),
  );
  const fallback = routes.find((r) => r.subscriptionId === '*')?.teamName ?? 'Unassigned';
  return (item) => {
    const vault = byVault.get(`${item.subscriptionName ?? ''}/${item.vaultName ?? ''}`);
    const tagged = vault?.tags['team'];
    if (tagged) return tagged;
    return (vault && bySubscription.get(vault.subscriptionId)) ?? fallback;
  };
}
