import { sha256Hex } from '../../audit/verify/audit-canonical';
import { AUDIT_ALGORITHM_VERSION, type KeyVaultAuditSignature } from '../../audit/verify/audit-manifest';
import { checkDocumentSignature, type AuditVerificationKeys } from '../../audit/verify/audit-signature';

export const EVIDENCE_MANIFEST_FORMAT = 'keyward-compliance-evidence';
/** The audit trail's algorithm version: the manifest is signed by the audit Key Vault key (docs/audit.md). */
export const EVIDENCE_ALGORITHM_VERSION = AUDIT_ALGORITHM_VERSION;

/**
 * The signed description of one compliance evidence package: every attachment's name, size and SHA-256, and the
 * audit chain head and latest signed checkpoint the package is tied to. Signed like audit exports (algorithm version
 * 2: the audit Key Vault key signs the canonical JSON, shared/audit/verify/audit-manifest.ts), so the audit public key
 * verifies it and nobody without Key Vault `sign` on that key can forge one.
 */
export interface EvidenceManifest {
  readonly format: typeof EVIDENCE_MANIFEST_FORMAT;
  readonly algorithmVersion: number;
  readonly tenant: string;
  readonly scope: string;
  readonly frameworks: readonly string[];
  readonly scanId: string | null;
  readonly score: number | null;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly auditChainHead: { readonly seq: number; readonly hash: string };
  /** The newest signed checkpoint when the package was made (null before the first one). */
  readonly auditCheckpoint: {
    readonly checkpointSeq: number;
    readonly at: string;
    readonly headSeq: number;
    readonly headHash: string;
    readonly signature: string;
  } | null;
  readonly attachments: readonly {
    readonly name: string;
    readonly contentType: string;
    readonly bytes: number;
    readonly sha256: string;
  }[];
  readonly signature: KeyVaultAuditSignature;
}

export type UnsignedEvidenceManifest = Omit<EvidenceManifest, 'signature'>;

export type EvidenceCheck = { ok: true } | { ok: false; problem: string };

/**
 * Verifies a package: the manifest's signature with the audit public key(s), then every attachment against its listed size
 * and SHA-256, and that no attachment is missing or extra. Node built-ins only (the standalone verifier uses it).
 */
export function verifyEvidencePackage(
  manifest: unknown,
  files: ReadonlyMap<string, Uint8Array>,
  keys: AuditVerificationKeys,
): EvidenceCheck {
  if (typeof manifest !== 'object' || manifest === null) return { ok: false, problem: 'the manifest is not an object' };
  const m = manifest as Partial<EvidenceManifest>;
  if (m.format !== EVIDENCE_MANIFEST_FORMAT)
    return { ok: false, problem: `not a ${EVIDENCE_MANIFEST_FORMAT} manifest` };
  if (m.algorithmVersion !== EVIDENCE_ALGORITHM_VERSION)
    return { ok: false, problem: `unsupported algorithm version ${String(m.algorithmVersion)}` };
  const signature = checkDocumentSignature(manifest as Record<string, unknown>, keys);
  if (!signature.ok) {
    if (signature.reason === 'wrong-key')
      return { ok: false, problem: `the manifest was signed with a different key (${signature.detail})` };
    if (signature.reason === 'no-key') return { ok: false, problem: signature.detail };
    return { ok: false, problem: `the manifest signature does not match its contents (${signature.detail})` };
  }
  const listed = m.attachments ?? [];
  for (const a of listed) {
    const data = files.get(a.name);
    if (!data) return { ok: false, problem: `attachment ${a.name} is missing` };
    if (data.byteLength !== a.bytes)
      return { ok: false, problem: `attachment ${a.name} has ${data.byteLength} bytes, not ${a.bytes}` };
    if (sha256Hex(data) !== a.sha256) return { ok: false, problem: `attachment ${a.name} does not match its SHA-256` };
  }
  const extra = [...files.keys()].filter((name) => name !== 'manifest.json' && !listed.some((a) => a.name === name));
  if (extra.length > 0) return { ok: false, problem: `files not in the manifest: ${extra.join(', ')}` };
  return { ok: true };
}
