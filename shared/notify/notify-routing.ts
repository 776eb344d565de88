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

/**
 * Who hears about an item: its vault's tags (`owner` emails, `team` name) beat an exact subscription route, which
 * beats the `*` route, which beats the default email. A `team` tag that names a route's team borrows that route's
 * recipients and webhook, so a team is configured once and claimed by tagging its vaults.
 */
export function routeItem(
  item: { readonly subscriptionId: string; readonly tags: Readonly<Record<string, string>> },
  config: RoutingConfig,
): RoutedTeam {
  const ownerEmails = splitEmails(tag(item.tags, config.tagNames.owner) ?? '').filter((e) => EMAIL.test(e));
  const teamTag = tag(item.tags, config.tagNames.team);
  const teamRoute = teamTag
    ? config.routes.find((route) => route.teamName.toLowerCase() === teamTag.toLowerCase())
    : undefined;
  if (ownerEmails.length > 0 || teamRoute) {
    return {
      teamName: teamTag ?? teamRoute?.teamName ?? ownerEmails.join(', '),
      emails: ownerEmails.length > 0 ? ownerEmails : splitEmails(teamRoute?.notificationEmail ?? ''),
      webhookRouteId: teamRoute?.hasWebhook ? teamRoute.id : null,
      matchedBy: 'tag',
    };
  }
  const exact = config.routes.find((route) => route.subscriptionId === item.subscriptionId);
  const wildcard = config.routes.find((route) => route.subscriptionId === '*');
  const route = exact ?? wildcard;
  if (route) {
    const emails = splitEmails(route.notificationEmail);
    return {
      teamName: teamTag ?? route.teamName,
      emails: emails.length > 0 ? emails : splitEmails(config.defaultEmail),
      webhookRouteId: route.hasWebhook ? route.id : null,
      matchedBy: exact ? 'subscription' : 'wildcard',
    };
  }
  return {
    teamName: teamTag ?? DEFAULT_TEAM,
    emails: splitEmails(config.defaultEmail),
    webhookRouteId: null,
    matchedBy: 'default',
  };
}
