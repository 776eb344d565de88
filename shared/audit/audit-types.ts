import type { z } from 'zod';
import type {
  auditActorSchema,
  auditAppendInputSchema,
  auditEntrySchema,
  auditExportQuerySchema,
  auditListQuerySchema,
  auditListResponseSchema,
  auditStatsSchema,
} from './audit-schemas';

export type AuditActor = z.infer<typeof auditActorSchema>;
export type AuditAppendInput = z.input<typeof auditAppendInputSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditOutcome = AuditEntry['outcome'];
export type AuditListQuery = z.input<typeof auditListQuerySchema>;
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
export type AuditStats = z.infer<typeof auditStatsSchema>;
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;
