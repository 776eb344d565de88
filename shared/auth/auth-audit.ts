import type { AuditActor, AuditAppendInput } from '../audit/audit-types';
import type { Identity } from './auth-roles';

/** The slice of the audit service a change of state needs (AuditService satisfies it). */
export interface AuditAppender {
  append(input: AuditAppendInput): Promise<unknown>;
}

/** The audit actor for a caller: an API key by its id (`apikey:<id>`), a user by principal id and name. */
export function auditActor(identity: Identity | null): AuditActor {
  if (!identity) throw new Error('Identity missing on an authenticated route');
  const name = identity.userName ?? identity.userEmail ?? '';
  return { type: identity.authType === 'apiKey' ? 'apiKey' : 'user', id: identity.userId, name };
}

/**
 * Records that an audited change failed after its entry was written: a second entry with the same action,
 * target and correlation id, outcome `failure`. If even that append fails, the error log is the trace.
 */
export async function auditFailure(audit: AuditAppender, entry: AuditAppendInput, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.name : 'Error';
  try {
    await audit.append({ ...entry, outcome: 'failure', details: { ...entry.details, failure: reason } });
  } catch {
    console.error(
      `audit: ${entry.action} on ${entry.target ?? ''} failed after it was audited, and the failure entry could ` +
        `not be appended (correlation ${entry.correlationId ?? ''})`,
    );
  }
}

/**
 * Audit first, then change: the entry is appended before the change is made, so no change of state exists
 * without its entry. If the append fails, nothing has changed and the error reaches the caller (a 500). If
 * the change fails after the entry, a `failure` entry with the same correlation id follows it.
 */
export async function auditedChange<T>(
  audit: AuditAppender,
  entry: AuditAppendInput,
  change: () => Promise<T>,
): Promise<T> {
  await audit.append(entry);
  try {
    return await change();
  } catch (error) {
    await auditFailure(audit, entry, error);
    throw error;
  }
}
