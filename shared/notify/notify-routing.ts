import { splitEmails } from './notify-settings';

/** A team route (VaultGuard360): a subscription id, or `*` for every subscription no other route names. */
export interface RouteRule {
  readonly id: string;
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly teamName: string;
  readonly notificationEmail: string;
  /** Whether the route has its own webhook (the URL itself never leaves the store). */
  readonly hasWebhook: boolean;
}

export interface RoutingConfig {
  readonly routes: readonly RouteRule[];
  readonly defaultEmail: string;
  readonly tagNames: { readonly owner: string; readonly team: string };
  /**
   * Domains (lower case, exact match) whose addresses an `owner` tag may add (NOTIFY_OWNER_DOMAINS). Absent or
   * empty: owner tags add nobody, because whoever can tag a vault is not trusted to choose who reads its alerts.
   */
  readonly ownerDomains?: readonly string[];
}

export type RouteMatch = 'tag' | 'subscription' | 'wildcard' | 'default';

export interface RoutedTeam {
  readonly teamName: string;
  readonly emails: readonly string[];
  /** The route whose webhook also receives the notification, if it has one. */
  readonly webhookRouteId: string | null;
  readonly matchedBy: RouteMatch;
}

const DEFAULT_TEAM = 'Default';
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Tag lookup ignoring case, as Azure treats tag names. */
function tag(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(tags))
    if (key.toLowerCase() === wanted && value.trim()) return value.trim();
  return undefined;
}

/** The owner tag's addresses whose domain is allowed; everything else in the tag is ignored. */
function allowedOwners(emails: readonly string[], domains: readonly string[]): string[] {
  const allowed = new Set(domains.map((d) => d.trim().toLowerCase()).filter((d) => d.length > 0));
  return emails.filter((email) => allowed.has(email.slice(email.lastIndexOf('@') + 1).toLowerCase()));
}

/** The route's recipients with the allowed owners added (never replaced), each address once. */
function withOwners(emails: readonly string[], owners: readonly string[]): string[] {
  const out = [...emails];
  const seen = new Set(emails.map((e) => e.toLowerCase()));
  for (const owner of owners) {
    if (seen.has(owner.toLowerCase())) continue;
    seen.add(owner.toLowerCase());
    out.push(owner);
  }
  return out;
}

/**
 * Who hears about an item. The route is chosen by the vault's `team` tag when it names a route's team, else the
 * exact subscription route, else the `*` route, else the default email; its recipients and webhook always hear.
 * An `owner` tag only adds addresses, and only in NOTIFY_OWNER_DOMAINS: a tag is written by anyone with Tag
 * Contributor on the vault, so it must never take the alert away from the route or send it outside the company.
 * The team name keeps its old precedence (team tag, then owner addresses, then the route) so the dashboard's
 * team column (web/src/team-of.ts) reads the same.
 */
export function routeItem(
  item: { readonly subscriptionId: string; readonly tags: Readonly<Record<string, string>> },
  config: RoutingConfig,
): RoutedTeam {
  const ownerEmails = splitEmails(tag(item.tags, config.tagNames.owner) ?? '').filter((e) => EMAIL.test(e));
  const owners = allowedOwners(ownerEmails, config.ownerDomains ?? []);
  const teamTag = tag(item.tags, config.tagNames.team);
  const teamRoute = teamTag
    ? config.routes.find((route) => route.teamName.toLowerCase() === teamTag.toLowerCase())
    : undefined;
  const ownerTeam = ownerEmails.length > 0 ? ownerEmails.join(', ') : undefined;
  if (teamRoute) {
    return {
      teamName: teamTag ?? teamRoute.teamName,
      emails: withOwners(splitEmails(teamRoute.notificationEmail), owners),
      webhookRouteId: teamRoute.hasWebhook ? teamRoute.id : null,
      matchedBy: 'tag',
    };
  }
  const exact = config.routes.find((route) => route.subscriptionId === item.subscriptionId);
  const wildcard = config.routes.find((route) => route.subscriptionId === '*');
  const route = exact ?? wildcard;
  if (route) {
    const emails = splitEmails(route.notificationEmail);
    return {
      teamName: teamTag ?? ownerTeam ?? route.teamName,
      emails: withOwners(emails.length > 0 ? emails : splitEmails(config.defaultEmail), owners),
      webhookRouteId: route.hasWebhook ? route.id : null,
      matchedBy: exact ? 'subscription' : 'wildcard',
    };
  }
  return {
    teamName: teamTag ?? ownerTeam ?? DEFAULT_TEAM,
    emails: withOwners(splitEmails(config.defaultEmail), owners),
    webhookRouteId: null,
    matchedBy: 'default',
  };
}
