import type { RpcHttpCookie } from './core-types';

/** Parses a `Cookie` request header; the first occurrence of a name wins, as browsers send the most specific first. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const index = pair.indexOf('=');
    const name = pair.slice(0, Math.max(index, 0)).trim();
    if (!name) continue;
    const value = pair
      .slice(index + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  readonly expires?: Date;
  readonly maxAge?: number;
  readonly path?: string;
  readonly domain?: string;
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
}

/** Serialises one `Set-Cookie` value (RFC 6265). */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [`${name}=${value}`];
  if (options.domain) parts.push(`Domain=${options.domain}`);
  parts.push(`Path=${options.path ?? '/'}`);
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`);
  if (options.secure) parts.push('Secure');
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

const SAME_SITE = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined } as const;

/** Turns a cookie from the function's response (RPC form) into a `Set-Cookie` value. */
export function rpcCookieToHeader(cookie: RpcHttpCookie): string {
  const seconds = cookie.expires?.value?.seconds;
  return serializeCookie(cookie.name ?? '', cookie.value ?? '', {
    domain: cookie.domain?.value,
    path: cookie.path?.value,
    expires: seconds !== undefined ? new Date(seconds * 1000) : undefined,
    maxAge: cookie.maxAge?.value,
    secure: cookie.secure?.value,
    httpOnly: cookie.httpOnly?.value,
    sameSite: SAME_SITE[cookie.sameSite ?? 'none'],
  });
}
