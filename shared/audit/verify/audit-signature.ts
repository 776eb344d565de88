import { createHmac, timingSafeEqual, verify } from 'node:crypto';
import {
  AUDIT_ALGORITHM_VERSION,
  AUDIT_HMAC_ALGORITHM_VERSION,
  AUDIT_SIGNING_ALGORITHMS,
  hmacKeyId,
  hmacSignedBytes,
  signedBytes,
  type AuditSigningAlgorithm,
} from './audit-manifest';
import type { AuditPublicKey } from './audit-public-key';

/** What the verifier was given to check signatures with. */
export interface AuditVerificationKeys {
  /** Public keys (version 2); the one whose thumbprint is the document's `keyId` is used. */
  readonly publicKeys?: readonly AuditPublicKey[];
  /** AUDIT_HMAC_KEY, only for version-1 documents written before Key Vault signing. */
  readonly hmacKey?: string;
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-key' | 'invalid' | 'no-key' | 'version'; readonly detail: string };

/**
 * Checks the signature of a manifest or checkpoint by its `algorithmVersion`: 2 with a public key (RS256 or
 * ES256), 1 with the HMAC key. Tells a key the verifier was not given (wrong-key) apart from a changed document
 * (invalid), so an auditor knows which one happened.
 */
export function checkDocumentSignature(
  document: { readonly [key: string]: unknown },
  keys: AuditVerificationKeys,
): SignatureCheck {
  const signature = document.signature;
  if (typeof signature !== 'object' || signature === null) return invalid('it carries no signature');
  const { algorithm, keyId, value } = signature as { readonly [key: string]: unknown };
  if (document.algorithmVersion === AUDIT_ALGORITHM_VERSION) {
    if (!AUDIT_SIGNING_ALGORITHMS.includes(algorithm as AuditSigningAlgorithm))
      return invalid(`algorithm ${String(algorithm)} is not one of ${AUDIT_SIGNING_ALGORITHMS.join(', ')}`);
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return invalid('the value is not base64');
    const publicKeys = keys.publicKeys ?? [];
    if (publicKeys.length === 0) return { ok: false, reason: 'no-key', detail: 'version 2 needs the public key' };
    const publicKey = publicKeys.find((k) => k.keyId === keyId);
    if (!publicKey)
      return {
        ok: false,
        reason: 'wrong-key',
        detail: `signed with key ${String(keyId)}, not with ${publicKeys.map((k) => k.keyId).join(' or ')}`,
      };
    if (publicKey.algorithm !== algorithm) return invalid(`key ${publicKey.keyId} does not sign ${String(algorithm)}`);
    const ok = verify(
      'sha256',
      signedBytes(document),
      { key: publicKey.key, ...(algorithm === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}) },
      Buffer.from(value, 'base64'),
    );
    return ok ? { ok: true } : invalid('the signature does not match');
  }
  if (document.algorithmVersion === AUDIT_HMAC_ALGORITHM_VERSION) {
    if (algorithm !== 'HMAC-SHA256' || typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
      return invalid('a version 1 signature is a 64-digit HMAC-SHA256');
    if (!keys.hmacKey)
      return { ok: false, reason: 'no-key', detail: 'version 1 (before Key Vault signing) needs the HMAC key' };
    const expected = createHmac('sha256', keys.hmacKey).update(hmacSignedBytes(document)).digest();
    if (timingSafeEqual(expected, Buffer.from(value, 'hex'))) return { ok: true };
    return keyId === hmacKeyId(keys.hmacKey)
      ? invalid('the HMAC does not match')
      : { ok: false, reason: 'wrong-key', detail: `keyId differs from ${hmacKeyId(keys.hmacKey)}` };
  }
  return { ok: false, reason: 'version', detail: `unsupported algorithm version ${String(document.algorithmVersion)}` };
}

function invalid(detail: string): SignatureCheck {
  return { ok: false, reason: 'invalid', detail };
}
