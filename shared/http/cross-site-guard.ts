import type { HttpRequest } from '@azure/functions';
import type { Identity } from '../auth/auth-roles';
import { ApiError } from './http-errors';
import type { RouteSpec } from './route-spec';

/** `Origin` matches the host the request was sent to (the URL's, or the Host header the platform forwarded). */
function sameOrigin(origin: string, request: HttpRequest): boolean {
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false; // `null` (sandboxed frames, some redirects) and anything unparsable are foreign.
  }
  const hosts = [new URL(request.url).host, request.headers.get('host') ?? ''].map((h) => h.toLowerCase());
  return hosts.includes(originHost);
}

/**
 * Cross-site request forgery defence for the routes that change state: every non-GET route, and GET routes
 * declared `writes` (the audit export keeps its seed's GET path). A browser marks a request another site made with
 * `Sec-Fetch-Site: cross-site`, and a cross-origin POST carries that site's `Origin`; either is refused. The
 * EasyAuth session cookie is what a forged request would ride on; an API key is sent by its holder on purpose,
 * never attached by a browser, so API-key callers are exempt.
 */
export function refuseCrossSite(route: RouteSpec, request: HttpRequest, identity: Identity | null): void {
  const writes = route.method !== 'GET' || route.writes === true;
  if (!writes || identity?.authType === 'apiKey') return;
  const fetchSite = request.headers.get('sec-fetch-site')?.toLowerCase();
  const origin = request.headers.get('origin');
  if (fetchSite === 'cross-site' || (origin !== null && !sameOrigin(origin, request))) {
    throw new ApiError(403, {
      error: 'cross_site_request',
      message: 'This operation refuses requests started by another site. Call it from the Keyward dashboard.',
    });
  }
}
