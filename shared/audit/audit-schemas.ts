import { z } from 'zod';
import { CORRELATION_ID_PATTERN } from '../runtime/correlation';
import { auditActions } from './audit-actions';

export const auditOutcomes = ['success', 'partial', 'failure', 'denied'] as const;
export const auditOutcomeSchema = z.enum(auditOutcomes);
export const auditActionSchema = z.enum(auditActions);

const id = z.string().trim().min(1).max(256);

/** Who did it: a signed-in principal, an API key (by id, never its value), or Keyward itself. */
export const auditActorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), id, name: z.string().trim().max(256).default('') }),
  z.object({ type: z.literal('apiKey'), id, name: z.string().trim().max(256).default('') }),
  z.object({
    type: z.literal('system'),
    id: z.literal('system').default('system'),
    name: z.string().trim().max(256).default(''),
  }),
]);

/** What `AuditService.append` takes. `details` is redacted before it is stored or hashed. */
export const auditAppendInputSchema = z.object({
  actor: auditActorSchema,
  action: auditActionSchema,
  target: z.string().trim().max(512).default(''),
  outcome: auditOutcomeSchema,
  details: z.record(z.string(), z.unknown()).default({}),
  correlationId: z.string().trim().max(128).default(''),
});

export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  timestamp: z.string(),
  actor: z.object({ type: z.enum(['user', 'apiKey', 'system']), id: z.string(), name: z.string() }),
  action: z.string(),
  target: z.string(),
  outcome: auditOutcomeSchema,
  details: z.record(z.string(), z.unknown()),
  correlationId: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

const isoTimestamp = z.iso.datetime({ offset: true });

/** Query of `GET /api/audit`: all filters combine with AND; `from` inclusive, `to` exclusive. */
export const auditListQuerySchema = z.strictObject({
  from: isoTimestamp.optional(),
  to: isoTimestamp.optional(),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[A-Za-z.]+$/, 'an action or a dotted prefix such as discovery.scan')
    .optional(),
  actor: z.string().trim().max(256).optional(),
  target: z.string().trim().max(512).optional(),
  outcome: auditOutcomeSchema.optional(),
  /** Everything one scan or request caused: the correlation id it returned. */
  correlationId: z.string().trim().regex(CORRELATION_ID_PATTERN).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuationToken: z.string().max(2048).optional(),
});

export const auditListResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  continuationToken: z.string().optional(),
});

export const auditStatsSchema = z.object({
  total: z.number().int(),
  today: z.number().int(),
  byOutcome: z.record(auditOutcomeSchema, z.number().int()),
  byAction: z.record(z.string(), z.number().int()),
  headSeq: z.number().int(),
  headHash: z.string(),
});

/** Query of `GET /api/audit/export` (admin). */
export const auditExportQuerySchema = z.strictObject({
  format: z.enum(['csv', 'pdf']).default('csv'),
  from: isoTimestamp.optional(),
  to: isoTimestamp.optional(),
});

/** Version 2 (Key Vault key) or version 1 (HMAC, manifests written before). */
const signatureSchema = z.union([
  z.object({
    algorithm: z.enum(['RS256', 'ES256']),
    keyId: z.string(),
    keyVaultKeyId: z.string(),
    value: z.string(),
  }),
  z.object({ algorithm: z.literal('HMAC-SHA256'), keyId: z.string(), value: z.string() }),
]);

/** The signed manifest as returned (and written beside the CSV); docs/audit.md defines each field. */
export const auditManifestSchema = z.object({
  format: z.literal('keyward-audit-export'),
  algorithmVersion: z.number().int(),
  tenant: z.string(),
  scope: z.string(),
  range: z.object({ from: z.string(), to: z.string() }),
  rowCount: z.number().int(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  firstHash: z.string().nullable(),
  lastHash: z.string().nullable(),
  chainHeadSeq: z.number().int(),
  chainHeadHash: z.string(),
  csvFileName: z.string(),
  csvSha256: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  signature: signatureSchema,
});

/** Response of `GET /api/audit/export`: the CSV text, its manifest, the PDF (base64) for format=pdf, blob names. */
export const auditExportResponseSchema = z.object({
  manifest: auditManifestSchema,
  csv: z.string(),
  pdfBase64: z.string().optional(),
  blobs: z.object({ container: z.string(), csv: z.string(), manifest: z.string(), pdf: z.string().optional() }),
});

/** Query of `GET /api/audit/public-key`: a Key Vault key version (32 hex digits); none = the current one. */
export const auditPublicKeyQuerySchema = z.strictObject({
  version: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'a Key Vault key version: 32 lowercase hex digits')
    .optional(),
});

/** Response of `GET /api/audit/public-key`. */
export const auditPublicKeySchema = z.object({
  keyId: z.string(),
  keyVaultKeyId: z.string(),
  algorithm: z.enum(['RS256', 'ES256']),
  jwk: z.record(z.string(), z.string()),
  pem: z.string(),
});
