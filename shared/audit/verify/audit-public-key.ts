import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { canonicalJson } from './audit-canonical';
import type { AuditSigningAlgorithm } from './audit-manifest';

/** A public key the verifier trusts, with its RFC 7638 thumbprint (the `keyId` manifests name). */
export interface AuditPublicKey {
  readonly keyId: string;
  readonly algorithm: AuditSigningAlgorithm;
  readonly key: KeyObject;
}

/** The JWK members RFC 7638 hashes, per key type, in their (already sorted) canonical order. */
const THUMBPRINT_MEMBERS = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'] } as const;

/** Smallest RSA modulus accepted: NIST SP 800-57 part 1 rev. 5 (112-bit security through 2030). */
const MIN_RSA_BITS = 2048;

/**
 * RFC 7638 JWK thumbprint: base64url (no padding) of SHA-256 over the canonical JSON of the required public
 * members only (RSA: e, kty, n; EC: crv, kty, x, y).
 */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const kty = jwk.kty === 'RSA' || jwk.kty === 'EC' ? jwk.kty : undefined;
  if (!kty) throw new Error(`unsupported key type ${String(jwk.kty)}`);
  const members: Record<string, string> = {};
  for (const name of THUMBPRINT_MEMBERS[kty]) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value !== 'string') throw new Error(`the ${kty} key has no "${name}"`);
    members[name] = value;
  }
  return createHash('sha256').update(canonicalJson(members)).digest('base64url');
}

/**
 * Reads a public key from what an auditor holds: a PEM (SPKI, `openssl pkey -pubout`, `az keyvault key
 * download --encoding PEM`), a JWK, a Key Vault key bundle (`{ "key": { … } }`, `az keyvault key show`) or the
 * answer of `GET /api/audit/public-key` (`{ "jwk": { … } }`). Only RSA (≥ 2048 bits, RS256) and EC P-256 (ES256).
 */
export function readAuditPublicKey(text: string): AuditPublicKey {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { key?: unknown; jwk?: unknown; kty?: unknown };
    const jwk = (typeof parsed.kty === 'string' ? parsed : (parsed.jwk ?? parsed.key)) as JsonWebKey | undefined;
    if (typeof jwk !== 'object' || jwk === null) throw new Error('the JSON holds no JWK');
    // Key Vault names its HSM-backed types RSA-HSM and EC-HSM; the public key is the same shape.
    const kty = String(jwk.kty).replace(/-HSM$/, '');
    const members = kty === 'RSA' ? { kty, n: jwk.n, e: jwk.e } : { kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    key = createPublicKey({ key: members as JsonWebKey, format: 'jwk' });
  } else {
    key = createPublicKey(trimmed);
  }
  if (key.type !== 'public') throw new Error('not a public key');
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new Error(`the RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required`);
    return { keyId: jwkThumbprint(jwk), algorithm: 'RS256', key };
  }
  if (key.asymmetricKeyType === 'ec' && jwk.crv === 'P-256')
    return { keyId: jwkThumbprint(jwk), algorithm: 'ES256', key };
  throw new Error('only RSA and EC P-256 public keys are supported');
}
