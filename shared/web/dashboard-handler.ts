import type { HttpRequest } from '@azure/functions';
import { readTrustedPrincipal } from '../auth/easyauth-principal';
import type { EasyAuthTrust } from '../auth/easyauth-trust';
import { notFound } from '../http/http-errors';
import { loginRedirect } from '../http/login-redirect';
import type { RouteResult } from '../http/route-handler';
import type { createStaticAssets } from './static-assets';

type StaticAssets = ReturnType<typeof createStaticAssets>;

/** Paths that belong to the API, the docs or the platform: never answered with the app. */
const reserved = /^\/(api|docs|redoc|\.auth)(\/|$)|^\/openapi\.json$/i;

/**
 * Answers a dashboard request. Files (paths with an extension) are served to anyone — the build holds no
 * data — and a missing one is a 404. Pages need a signed-in user: without a principal the API would also believe
 * (platform attestation, Entra ID, the configured tenant: `readTrustedPrincipal`) the browser goes to the sign-in
 * and comes back to the same path; a forged header is no session. Everything the pages show comes from the API, which
 * checks identity and roles itself.
 */
export async function serveDashboard(
  request: HttpRequest,
  assets: StaticAssets,
  trust: EasyAuthTrust | null,
): Promise<RouteResult> {
  const path = new URL(request.url).pathname;
  if (reserved.test(path)) throw notFound('No such endpoint.');
  const isPage = !/\.[^/]+$/.test(path);
  if (isPage && !readTrustedPrincipal((name) => request.headers.get(name), trust)) {
    const redirect = loginRedirect(request);
    return { status: 302, headers: redirect.headers as Record<string, string> };
  }
  const asset = await assets.serve(path);
  if (asset.status === 404) throw notFound('No such file.');
  return {
    status: 200,
    body: asset.body,
    contentType: asset.contentType,
    headers: { 'cache-control': asset.cacheControl },
  };
}
