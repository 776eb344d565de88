import type { HttpRequest, HttpResponseInit } from '@azure/functions';

// A path on this origin: one `/`, then neither `/` nor `\` (browsers read `//host` and `/\host` as another
// host), and no whitespace, control character or backslash anywhere (browsers drop tabs and newlines from
// URLs, so `/\t/evil.com` becomes `//evil.com`).
const SAME_ORIGIN_PATH = /^\/(?![/\\])[^\s\\\x00-\x1f\x7f]*$/;

/**
 * `value` if it is a path on this origin, else `/`. The path part is checked again percent-decoded, since
 * a sign-in service or browser may decode it once (`/%09/evil.com`, `/%2F/evil.com`); absolute URLs and
 * anything not starting with a single `/` are refused.
 */
export function sameOriginPath(value: string | null | undefined): string {
  if (!value || !SAME_ORIGIN_PATH.test(value)) return '/';
  const path = value.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return '/';
  }
  return SAME_ORIGIN_PATH.test(decoded.replace(/ /g, '%20')) ? value : '/';
}

/**
 * For pages (the dashboard at `/`): the redirect to Entra sign-in through EasyAuth, coming back to the same
 * path. Only a same-origin path is passed on (a request for `//evil.com` comes back to `/`), so the sign-in
 * cannot become an open redirect.
 */
export function loginRedirect(request: HttpRequest): HttpResponseInit {
  const url = new URL(request.url);
  const back = sameOriginPath(`${url.pathname}${url.search}`);
  return {
    status: 302,
    headers: {
      location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`,
      'cache-control': 'no-store',
    },
  };
}
