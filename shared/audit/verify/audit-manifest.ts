import { canonicalJson, sha256Hex, type JsonValue } from './audit-canonical';

export const AUDIT_MANIFEST_FORMAT = 'keyward-audit-export';
export const AUDIT_CHECKPOINT_FORMAT = 'keyward-audit-checkpoint';

/**
 * Algorithm version of the manifests and checkpoints Keyward writes now: signed by a Key Vault key (RS256 or
 * ES256) that the app may use but never read, verified with its public key alone (docs/audit.md, section 5).
 */
export const AUDIT_ALGORITHM_VERSION = 2;
/** Manifests and checkpoints written before version 2: HMAC-SHA256 with AUDIT_HMAC_KEY. Verified, never written. */
export const AUDIT_HMAC_ALGORITHM_VERSION = 1;

/** The signed description of one CSV export. Every field is covered by the signature (all but `signature.value`). */
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

/** Version 2: an asymmetric signature by a Key Vault key. */
export interface KeyVaultAuditSignature {
  readonly algorithm: AuditSigningAlgorithm;
  /** RFC 7638 JWK SHA-256 thumbprint (base64url) of the public key: which key to verify with. */
  readonly keyId: string;
  /** The Key Vault key identifier with its version, `https://<vault>/keys/<name>/<version>`. */
  readonly keyVaultKeyId: string;
  /** Base64 (RFC 4648 section 4, padded) of the signature bytes. */
  readonly value: string;
}

/** Version 1: HMAC-SHA256. */
export interface HmacAuditSignature {
  readonly algorithm: 'HMAC-SHA256';
  /** First 16 hex digits of SHA-256("keyward-audit-key-id:" + key), so a wrong key is told from tampering. */
  readonly keyId: string;
  readonly value: string;
}

export type AuditSignature = KeyVaultAuditSignature | HmacAuditSignature;

/** RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 section 3.3); ES256: ECDSA P-256 SHA-256, r||s (section 3.4). */
export const AUDIT_SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const;
export type AuditSigningAlgorithm = (typeof AUDIT_SIGNING_ALGORITHMS)[number];

/**
 * The bytes a version-2 signature covers: the RFC 8785 canonical JSON (UTF-8) of the document with its
 * `signature` member minus `value`, so the algorithm and the key named are signed too.
 */
export function signedBytes(document: { readonly [key: string]: unknown }): Buffer {
  const { signature, ...rest } = document;
  const { value: _value, ...header } = (typeof signature === 'object' && signature !== null ? signature : {}) as {
    readonly [key: string]: unknown;
  };
  return Buffer.from(canonicalJson({ ...rest, signature: header } as JsonValue), 'utf8');
}

/** Version 1 key id of an HMAC key. */
export function hmacKeyId(key: string): string {
  return sha256Hex(`keyward-audit-key-id:${key}`).slice(0, 16);
}

/** Version 1: the bytes the HMAC covers, the canonical JSON of the document without its `signature` member. */
export function hmacSignedBytes(document: { readonly [key: string]: unknown }): Buffer {
  const { signature: _signature, ...unsigned } = document;
  return Buffer.from(canonicalJson(unsigned as JsonValue), 'utf8');
}
