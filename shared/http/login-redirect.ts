import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/**
 * For pages (the dashboard at `/`): the redirect to Entra sign-in through EasyAuth, coming back to the same
 * path. Only the path and query are passed on, never a host, so it cannot become an open redirect.
 */
export function loginRedirect(request: HttpRequest): HttpResponseInit {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return {
    status: 302,
    headers: {
      location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`,
      'cache-control': 'no-store',
    },
  };
}
