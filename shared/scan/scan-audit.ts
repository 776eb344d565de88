import type { AuditAppendInput } from '../audit/audit-types';
import type { AuditAppender } from '../auth/auth-audit';
import type { ScanLog } from './scan-deps';

/**
 * Appends a scan event to the audit trail as the `system` actor. Called only where the event happened exactly once
 * (the ETag-guarded close, the first count of a unit, the plan's last delivery), so redeliveries add nothing. The
 * state change has already happened and cannot be rolled back, so a failed append is logged rather than thrown: a
 * retry of the worker would not repeat the event it failed to record.
 */
export async function auditScanEvent(
  audit: AuditAppender,
  log: ScanLog,
  entry: Omit<AuditAppendInput, 'actor'>,
): Promise<void> {
  try {
    await audit.append({ actor: { type: 'system' }, ...entry });
  } catch (error) {
    log.warn(`${entry.action} for ${entry.target ?? '-'} could not be audited (${(error as Error).name})`);
  }
}
