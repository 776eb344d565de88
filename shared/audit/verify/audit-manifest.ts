import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, sha256Hex, type JsonValue } from './audit-canonical';

export const AUDIT_MANIFEST_FORMAT = 'keyward-audit-export';
export const AUDIT_CHECKPOINT_FORMAT = 'keyward-audit-checkpoint';

/** The signed description of one CSV export. Every field except `signature` is covered by the HMAC. */
export interface AuditManifest {
  readonly format: typeof AUDIT_MANIFEST_FORMAT;
  readonly algorithmVersion: number;
  readonly tenant: string;
  readonly scope: string;
  /** Requested timestamp range: `from` inclusive, `to` exclusive, ISO 8601 UTC. */
  readonly range: { readonly from: string; readonly to: string };
  readonly rowCount: number;
  /** Null when the range holds no entry. */
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly firstHash: string | null;
  readonly lastHash: string | null;
  /** Chain head when the export was taken: the export is a prefix of a chain at least this long. */
  readonly chainHeadSeq: number;
  readonly chainHeadHash: string;
  readonly csvFileName: string;
  readonly csvSha256: string;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly signature: AuditSignature;
}

/** A signed chain head, written at a fixed cadence whether or not anything was appended. */
export interface AuditCheckpoint {
  readonly format: typeof AUDIT_CHECKPOINT_FORMAT;
  readonly algorithmVersion: number;
  readonly checkpointSeq: number;
  readonly at: string;
  readonly headSeq: number;
  readonly headHash: string;
  /** Signature value of the previous checkpoint, or '' for the first: checkpoints form their own chain. */
  readonly prevCheckpointSignature: string;
  readonly signature: AuditSignature;
}

export interface AuditSignature {
  readonly algorithm: 'HMAC-SHA256';
  /** First 16 hex digits of SHA-256("keyward-audit-key-id:" + key), so a wrong key is told from tampering. */
  readonly keyId: string;
  readonly value: string;
}

export function auditKeyId(key: string): string {
  return sha256Hex(`keyward-audit-key-id:${key}`).slice(0, 16);
}

/**
 * HMAC-SHA256 keyed with the UTF-8 bytes of `key`, over the UTF-8 bytes of the canonical JSON of the document
 * without its `signature` member.
 */
export function signDocument<T extends { readonly signature: AuditSignature }>(
  unsigned: Omit<T, 'signature'>,
  key: string,
): T {
  const value = createHmac('sha256', key)
    .update(canonicalJson(unsigned as unknown as JsonValue))
    .digest('hex');
  return { ...unsigned, signature: { algorithm: 'HMAC-SHA256', keyId: auditKeyId(key), value } } as unknown as T;
}

export type SignatureCheck = 'valid' | 'wrong-key' | 'invalid';

/** Checks a document signed by `signDocument`, comparing in constant time. */
export function checkSignature(document: { readonly [key: string]: unknown }, key: string): SignatureCheck {
  const { signature, ...unsigned } = document;
  if (typeof signature !== 'object' || signature === null) return 'invalid';
  const { algorithm, keyId, value } = signature as { [key: string]: unknown };
  if (algorithm !== 'HMAC-SHA256' || typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) return 'invalid';
  const expected = createHmac('sha256', key)
    .update(canonicalJson(unsigned as JsonValue))
    .digest();
  if (timingSafeEqual(expected, Buffer.from(value, 'hex'))) return 'valid';
  return keyId === auditKeyId(key) ? 'invalid' : 'wrong-key';
}
