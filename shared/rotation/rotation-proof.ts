import { createHash, randomUUID, X509Certificate } from 'node:crypto';

/** Signs a SHA-256 digest with RS256 in Key Vault and answers the raw signature. */
export type RemoteSigner = (digest: Buffer) => Promise<Uint8Array>;

/** The audience of addKey/removeKey proofs (Graph application-addkey.md): the Azure AD Graph application id. */
export const PROOF_AUDIENCE = '00000002-0000-0000-c000-000000000000';

/**
 * A JWS compact token whose RS256 signature Key Vault makes (`sign` on the certificate's managed key), so no private
 * key leaves the vault. jose encodes the parts and, before the token is used, verifies it against the certificate's
 * public key: a wrong key or a malformed signature fails here, not at Graph or Entra. The only local steps are
 * base64url and SHA-256, no signature arithmetic.
 */
export async function signedJwt(
  cer: Uint8Array,
  claims: Record<string, unknown>,
  sign: RemoteSigner,
  verify: { audience: string; issuer: string },
): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jose = require('jose') as typeof import('jose');
  const x5t = createHash('sha1').update(cer).digest('base64url');
  const header = jose.base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t }));
  const payload = jose.base64url.encode(JSON.stringify(claims));
  const input = `${header}.${payload}`;
  const signature = await sign(createHash('sha256').update(input).digest());
  const token = `${input}.${jose.base64url.encode(signature)}`;
  const pem = new X509Certificate(Buffer.from(cer)).toString();
  await jose.jwtVerify(token, await jose.importX509(pem, 'RS256'), { ...verify, algorithms: ['RS256'] });
  return token;
}

/** The proof of possession Graph wants for addKey/removeKey: iss = the application's object id, 10 minutes. */
export function proofClaims(appObjectId: string, now: Date): Record<string, unknown> {
  const nbf = Math.floor(now.getTime() / 1000);
  return { aud: PROOF_AUDIENCE, iss: appObjectId, nbf, exp: nbf + 600, jti: randomUUID() };
}

/** A client assertion for the token endpoint (certificate-credentials): aud = endpoint, iss = sub = client id. */
export function assertionClaims(tokenEndpoint: string, appId: string, now: Date): Record<string, unknown> {
  const nbf = Math.floor(now.getTime() / 1000);
  return { aud: tokenEndpoint, iss: appId, sub: appId, nbf, exp: nbf + 600, jti: randomUUID() };
}
