import type { AuditAppendInput } from '../audit/audit-types';

/** The slice of the audit service notifications use (AuditService satisfies it). */
export interface NotifyAudit {
  append(input: AuditAppendInput): Promise<unknown>;
}

export const systemActor = { type: 'system', name: 'Keyward notifications' } as const;
