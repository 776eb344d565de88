import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Claims the simulator puts in (and expects from) a bearer token, as Entra ID issues for a managed identity. */
export interface SimTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly tid: string;
  readonly oid: string;
  readonly sub: string;
  readonly appid: string;
  readonly idtyp: 'app';
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
}

export interface Caller {
  readonly tenantId: string;
  readonly objectId: string;
  readonly appId: string;
}

const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Issues and checks HS256 JWTs. The signing key is random per simulator run: tokens are only meant for this
 * simulator. Token lifetimes use wall time (not the injected clock) because the SDKs cache tokens by wall time.
 */
export function createTokenService(caller: Caller, nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {
  const key = randomBytes(32);
  const sign = (input: string): string => createHmac('sha256', key).update(input).digest('base64url');

  /** A token for `resource`; `tenantId` other than the caller's only to show that such a token is refused. */
  function issue(resource: string, tenantId = caller.tenantId): { token: string; expiresOn: number } {
    const iat = nowSeconds();
    const claims: SimTokenClaims = {
      aud: resource,
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      oid: caller.objectId,
      sub: caller.objectId,
      appid: caller.appId,
      idtyp: 'app',
      iat,
      nbf: iat - 300,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `${header}.${payload}.${sign(`${header}.${payload}`)}`, expiresOn: claims.exp };
  }

  /** Returns the claims of a valid token for one of `audiences`, or a reason it is not acceptable. */
  function verify(authorization: string | undefined, audiences: readonly string[]): SimTokenClaims | string {
    const match = /^Bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization ?? '');
    if (!match) return 'missing bearer token';
    const [, header = '', payload = '', signature = ''] = match;
    const expected = Buffer.from(sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid signature';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SimTokenClaims;
    if (claims.exp <= nowSeconds()) return 'token expired';
    // Tokens are issued per tenant: one of another tenant is refused even when its signature holds.
    if (claims.tid !== caller.tenantId) return `token of another tenant (${claims.tid})`;
    const aud = claims.aud.replace(/\/+$/, '').toLowerCase();
    if (!audiences.some((a) => a.replace(/\/+$/, '').toLowerCase() === aud)) return `invalid audience ${claims.aud}`;
    return claims;
  }

  return { issue, verify, clientId: caller.appId };
}

export type TokenService = ReturnType<typeof createTokenService>;
