import { atLeast } from '../auth/auth-roles';
import { defineRoute } from '../http/route-spec';
import {
  auditExportQuerySchema,
  auditExportResponseSchema,
  auditListQuerySchema,
  auditListResponseSchema,
  auditPublicKeyQuerySchema,
  auditPublicKeySchema,
  auditStatsSchema,
} from './audit-schemas';

const audit = { tag: 'Audit', method: 'GET', minTier: 'trial' } as const;

/** Keyed by operation id; functions/audit binds one handler per key. */
export const auditRoutes = {
  listAudit: defineRoute({
    ...audit,
    operationId: 'listAudit',
    path: '/api/audit',
    summary: 'Audit entries in seq order, filtered by time range, action prefix, actor, target and outcome',
    access: atLeast('reader'),
    rateLimit: 'read',
    query: auditListQuerySchema,
    responses: {
      200: {
        description: 'One page of entries; pass continuationToken back for the next.',
        schema: auditListResponseSchema,
      },
    },
  }),
  getAuditStats: defineRoute({
    ...audit,
    operationId: 'getAuditStats',
    path: '/api/audit/stats',
    summary: 'Audit totals: all, today (UTC), by outcome, by action, and the chain head',
    access: atLeast('reader'),
    rateLimit: 'read',
    responses: { 200: { description: 'Counters kept on the chain head.', schema: auditStatsSchema } },
  }),
  exportAudit: defineRoute({
    ...audit,
    operationId: 'exportAudit',
    path: '/api/audit/export',
    summary:
      'Export a range as hash-chained CSV with a manifest signed by the Key Vault key, or as a PDF evidence bundle',
    access: atLeast('admin'),
    rateLimit: 'expensive',
    writes: true,
    // The evidence stays the customer's after the trial: the export answers when everything else is locked.
    trialExempt: true,
    query: auditExportQuerySchema,
    responses: {
      200: {
        description: 'The export, also written to the audit-exports container.',
        schema: auditExportResponseSchema,
      },
      400: { description: 'Invalid range.' },
      413: { description: 'The range holds too many entries; export a shorter one.' },
    },
    sample: { query: { format: 'csv' }, status: 200 },
  }),
  getAuditPublicKey: defineRoute({
    ...audit,
    operationId: 'getAuditPublicKey',
    path: '/api/audit/public-key',
    summary:
      'The public key that verifies audit manifests and checkpoints (version 2), current or by Key Vault version',
    access: atLeast('reader'),
    rateLimit: 'read',
    // Verifying evidence must stay possible after the trial, like the export.
    trialExempt: true,
    query: auditPublicKeyQuerySchema,
    responses: {
      200: {
        description: 'The key as JWK and PEM, its thumbprint (keyId) and Key Vault identifier.',
        schema: auditPublicKeySchema,
      },
      400: { description: 'Invalid version.' },
    },
  }),
};
