import type { AuditActor, AuditOutcome } from '../audit/audit-types';
import type { AuditAppender } from '../auth/auth-audit';
import { deadLetterTarget } from './dead-letter-entities';
import type { DeadLetterService, ReplayOutcome, ReplayRequest } from './dead-letter-service';
import type { DeadLetterReplayResult } from './dead-letter-types';

export interface ReplayCaller {
  readonly actor: AuditActor;
  readonly correlationId: string;
}

function outcomeOf(result: ReplayOutcome): AuditOutcome {
  if (result.failure === undefined) return 'success';
  return result.replayedIds.length > 0 ? 'partial' : 'failure';
}

/**
 * A replay and its audit entry. Elsewhere a change is audited first (shared/auth/auth-audit.ts); here the change
 * is the broker's and which messages it touches is only known once they are taken, so the entry follows it with
 * every message id. If that append fails, the ids go to the error log and the caller gets the error: the replay is
 * never left unrecorded without a trace.
 */
export async function replayDeadLetters(
  deps: { readonly deadLetters: DeadLetterService; readonly audit: AuditAppender },
  request: ReplayRequest,
  caller: ReplayCaller,
): Promise<DeadLetterReplayResult> {
  const result = await deps.deadLetters.replay(request);
  const entity = result.entity;
  const entry = {
    actor: caller.actor,
    action: 'system.deadLetters.replayed',
    target: deadLetterTarget(entity),
    outcome: outcomeOf(result),
    details: {
      queue: entity.queue,
      ...(entity.kind === 'subscription' ? { subscription: entity.subscription } : {}),
      max: request.max,
      replayed: result.replayedIds.length,
      skipped: result.skippedIds.length,
      messageIds: result.replayedIds,
      skippedMessageIds: result.skippedIds,
      ...(result.failure !== undefined ? { failure: result.failure } : {}),
    },
    correlationId: caller.correlationId,
  } as const;
  try {
    await deps.audit.append(entry);
  } catch (error) {
    console.error(
      `audit: ${entry.action} on ${entry.target} could not be appended after the replay (correlation ` +
        `${caller.correlationId}); replayed message ids: ${result.replayedIds.join(', ') || 'none'}`,
    );
    throw error;
  }
  return { replayed: result.replayedIds.length, skipped: result.skippedIds.length };
}
