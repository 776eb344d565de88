import type { HttpRequest } from '@azure/functions';
import { runsInAppService } from './app-service-platform';

/**
 * Whether X-Forwarded-For was written by a front end Keyward trusts: App Service's (which appends the peer it
 * accepted the connection from), or the local dev host in KEYWARD_LOCAL_MODE (which sets it from the socket, as
 * App Service does). Anywhere else a client could write the header and pick its own rate-limit key.
 */
export function forwardedForTrusted(env: NodeJS.ProcessEnv): boolean {
  return runsInAppService(env) || env.KEYWARD_LOCAL_MODE === 'true';
}

/** `203.0.113.7:51234` → `203.0.113.7`, `[2001:db8::1]:443` → `2001:db8::1`; a bare address is kept. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  return /^[^:]+:\d+$/.test(entry) ? (entry.split(':')[0] ?? entry) : entry;
}

/**
 * The client address a rate limit counts against. The last X-Forwarded-For entry is the one the trusted front
 * end added (entries before it are whatever the client sent). Untrusted, the Functions worker sees no socket
 * address, so every such caller shares one bucket: coarse, but no header can escape it.
 */
export function clientAddress(request: HttpRequest, trusted: boolean): string {
  if (!trusted) return 'unknown';
  const entries = (request.headers.get('x-forwarded-for') ?? '').split(',').map((e) => e.trim());
  const last = entries[entries.length - 1];
  return last ? withoutPort(last) : 'unknown';
}
