import type { ChannelSecrets, StoredEmailConfig } from './notify-config-store';

/**
 * Stored credentials belong to the destination they were given for. Whoever may change a destination (an admin,
 * an imported document) may not read its credentials, so a changed destination must not carry the old ones to
 * the new place: they are dropped unless the same request sends them again.
 */

const normalHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, '');

export function sameHost(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalHost(a) !== '' && normalHost(a) === normalHost(b);
}

function normalUrl(url: string): string {
  try {
    return new URL(url.trim()).toString();
  } catch {
    return url.trim();
  }
}

/** Whether a URL field in a request changes the stored one (omitted: no change). */
export function urlChanges(next: string | undefined, current: string | undefined): boolean {
  if (next === undefined) return false;
  return current === undefined || normalUrl(next) !== normalUrl(current);
}

/** Omitted keeps the stored value, `""` clears it, anything else replaces it. */
const merge = (next: string | undefined, current: string | undefined): string | undefined =>
  next === undefined ? current : next || undefined;

/**
 * A channel's secrets after a save. The signing secret and ServiceNow's username and password are tied to the
 * URL; when it changes they are kept only if sent again. PagerDuty's routing key is sent to the fixed Events API
 * (PAGERDUTY_EVENTS_URL), never to the channel URL, so it stays. Slack and Teams hold no secret beside the URL.
 */
export function channelSecretsAfter(
  input: { url?: string; secret?: string; routingKey?: string; username?: string; password?: string },
  current: ChannelSecrets,
): { secrets: ChannelSecrets; cleared: boolean } {
  const moved = urlChanges(input.url, current.url);
  const tied = (next: string | undefined, stored: string | undefined) => merge(next, moved ? undefined : stored);
  const secrets: ChannelSecrets = {
    url: merge(input.url, current.url),
    secret: tied(input.secret, current.secret),
    routingKey: merge(input.routingKey, current.routingKey),
    username: tied(input.username, current.username),
    password: tied(input.password, current.password),
  };
  const cleared =
    moved &&
    ((input.secret === undefined && Boolean(current.secret)) ||
      (input.username === undefined && Boolean(current.username)) ||
      (input.password === undefined && Boolean(current.password)));
  return { secrets, cleared };
}

/**
 * SMTP credentials after a save or an import: those sent win; otherwise the ones in force are kept only for the
 * same host. The deploy-time SMTP_USERNAME/SMTP_PASSWORD come in as the config in force with SMTP_HOST, so they
 * can only ever be kept for SMTP_HOST.
 */
export function smtpCredentialsAfter(
  input: { host: string; username?: string | undefined; password?: string | undefined },
  current: Pick<StoredEmailConfig, 'host' | 'username' | 'password'> | undefined,
): { username: string; password: string; cleared: boolean } {
  const keep = current !== undefined && sameHost(current.host, input.host);
  const username = input.username ?? (keep ? current.username : '');
  const password = input.password ?? (keep ? current.password : '');
  const cleared =
    !keep &&
    current !== undefined &&
    ((input.username === undefined && current.username !== '') ||
      (input.password === undefined && current.password !== ''));
  return { username, password, cleared };
}
