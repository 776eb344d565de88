import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameOriginPath } from '../../shared/http/login-redirect';
import { meEntry } from './auth-principal';
import { SESSION_COOKIE, type SessionSigner, type SessionUser } from './auth-session';
import { parseCookies, serializeCookie } from './http-cookies';

/**
 * `/.auth/*` as App Service serves it, for the AAD provider only: the sign-in page (a local form instead
 * of Entra), its non-interactive form for scripts, `/.auth/me` and `/.auth/logout`.
 * Returns false when the path is not an EasyAuth endpoint.
 */
export function handleAuthEndpoint(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signer: SessionSigner,
): boolean {
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (!path.startsWith('/.auth/')) return false;
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  switch (path) {
    case '/.auth/login/aad':
      return login(res, url, signer);
    case '/.auth/me':
      return me(req, res, signer);
    case '/.auth/logout':
      return logout(res, url);
    case '/.auth/logout/done':
      return html(
        res,
        200,
        page('Signed out', '<p>You have signed out. <a href="/.auth/login/aad">Sign in again</a></p>'),
      );
    default:
      if (!path.startsWith('/.auth/')) return false;
      res.writeHead(404).end();
      return true;
  }
}

function login(res: ServerResponse, url: URL, signer: SessionSigner): boolean {
  const redirect = safeRedirect(
    url.searchParams.get('post_login_redirect_uri') ?? url.searchParams.get('post_login_redirect_url'),
  );
  const email = url.searchParams.get('user');
  if (email === null) return html(res, 200, loginPage(redirect));
  const user = parseUser(email, url.searchParams.get('name'), url.searchParams.get('roles'));
  if (!user)
    return html(res, 400, loginPage(redirect, 'Enter a valid email; roles are letters, digits, dots, dashes.'));
  const session = signer.issue(user);
  res.writeHead(302, {
    location: redirect,
    'set-cookie': serializeCookie(SESSION_COOKIE, session.value, {
      httpOnly: true,
      sameSite: 'Lax',
      expires: session.expires,
    }),
  });
  res.end();
  return true;
}

function me(req: IncomingMessage, res: ServerResponse, signer: SessionSigner): boolean {
  const session = signer.verify(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
  if (!session) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('[]');
    return true;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([meEntry(session, session.expires)]));
  return true;
}

/** Like App Service, logout only clears the cookie; there is no server-side session to revoke. */
function logout(res: ServerResponse, url: URL): boolean {
  const redirect = safeRedirect(url.searchParams.get('post_logout_redirect_uri') ?? '/.auth/logout/done');
  res.writeHead(302, {
    location: redirect,
    'set-cookie': serializeCookie(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: 0,
      expires: new Date(0),
    }),
  });
  res.end();
  return true;
}

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}$/;
const ROLE = /^[\w.:-]{1,100}$/;

/** Validates the sign-in form; the name defaults to the email's local part. */
export function parseUser(email: string, name: string | null, roles: string | null): SessionUser | null {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed)) return null;
  const roleList = (roles ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
  if (!roleList.every((role) => ROLE.test(role)) || roleList.length > 50) return null;
  const displayName = (name ?? '').trim().slice(0, 200) || (trimmed.split('@')[0] ?? trimmed);
  return { email: trimmed, name: displayName, roles: [...new Set(roleList)] };
}

/** Only same-origin paths (the app's own rule), so the sign-in link cannot be turned into an open redirect. */
export function safeRedirect(value: string | null): string {
  return sameOriginPath(value);
}

function loginPage(redirect: string, error?: string): string {
  const message = error ? `<p class="error">${escape(error)}</p>` : '';
  return page(
    'Sign in (local)',
    `<p>Local EasyAuth emulation: pick any identity. Nothing leaves this machine.</p>${message}
<form method="get" action="/.auth/login/aad">
  <label>Email <input name="user" type="email" required value="dev@keyward.local"></label>
  <label>Name <input name="name" value="Local Developer"></label>
  <label>Roles (comma separated) <input name="roles" value="admin"></label>
  <input type="hidden" name="post_login_redirect_uri" value="${escape(redirect)}">
  <button type="submit">Sign in</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}label{display:block;margin:.75rem 0}
input{display:block;width:100%;padding:.4rem}button{padding:.5rem 1rem}.error{color:#b00}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function html(res: ServerResponse, status: number, body: string): boolean {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  return true;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
