import { z } from 'zod';

const signatureSchema = z.object({
  algorithm: z.enum(['RS256', 'ES256']),
  keyId: z.string(),
  keyVaultKeyId: z.string(),
  value: z.string(),
});

export const evidenceManifestSchema = z.object({
  format: z.literal('keyward-compliance-evidence'),
  algorithmVersion: z.number().int(),
  tenant: z.string(),
  scope: z.string(),
  frameworks: z.array(z.string()),
  scanId: z.string().nullable(),
  score: z.number().nullable(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  auditChainHead: z.object({ seq: z.number().int(), hash: z.string() }),
  auditCheckpoint: z
    .object({
      checkpointSeq: z.number().int(),
      at: z.string(),
      headSeq: z.number().int(),
      headHash: z.string(),
      signature: z.string(),
    })
    .nullable(),
  attachments: z.array(
    z.object({ name: z.string(), contentType: z.string(), bytes: z.number().int(), sha256: z.string() }),
  ),
  signature: signatureSchema,
});

/**
 * `GET /api/compliance/evidence-package`: the files (text as UTF-8, the PDF as base64), the signed manifest, and the
 * blob names they were also written to (as the audit export's `blobs`).
 */
export const evidenceResponseSchema = z.object({
  manifest: evidenceManifestSchema,
  files: z.array(
    z.object({
      name: z.string(),
      contentType: z.string(),
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  ),
  blobs: z.object({ container: z.string(), manifest: z.string(), files: z.array(z.string()) }),
});
export type EvidenceResponse = z.infer<typeof evidenceResponseSchema>;
