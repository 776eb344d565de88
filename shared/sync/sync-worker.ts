import type { AuditAppender } from '../auth/auth-audit';
import { auditedChange } from '../auth/auth-audit';
import type { PublishEvent } from '../events/event-publisher';
import type { Clock } from '../time/clock';
import { SyncProviderError, type SyncProvider, type TargetState } from './providers/sync-provider';
import { raiseSyncAlert } from './sync-alerts';
import { decideTarget, provenUnchanged, pushLanded } from './sync-decision';
import { idempotencyKey } from './sync-keys';
import type { ProviderFor } from './sync-providers';
import { withRetry, type RetryOptions } from './sync-retry';
import type { SyncMessage } from './sync-schemas';
import type { SourceReader } from './sync-source';
import type { StoredConfig, StoredRecord, SyncStore } from './sync-store';

export interface SyncWorkerDeps {
  readonly store: Pick<SyncStore, 'getRecord' | 'getConfig' | 'replaceRecord' | 'addHistory'>;
  readonly providerFor: ProviderFor;
  readonly source: Pick<SourceReader, 'read'>;
  readonly audit: AuditAppender;
  readonly publish: PublishEvent;
  readonly clock: Clock;
  readonly retry: Omit<RetryOptions, 'provider'>;
}

/** The target turned out to be someone else's (or moved) while a push was being retried. */
class PushConflict extends Error {
  constructor(
    readonly reason: string,
    readonly state: TargetState,
  ) {
    super(reason);
  }
}

export type WorkOutcome = 'noop' | 'synced' | 'conflict' | 'failed' | 'retained' | 'deletionScheduled' | 'skipped';

/**
 * One sync message: push (or delete) one record at one source version. Idempotent on (record, source version):
 * a version already synced makes no request at all; a push whose write landed before a crash or a lost response
 * is recognised and recorded instead of written again. A retryable failure is thrown back to Service Bus for a
 * later delivery until the last one, which records the failure and alerts.
 */
export async function processSyncMessage(
  deps: SyncWorkerDeps,
  message: SyncMessage,
  delivery: { finalAttempt: boolean },
): Promise<WorkOutcome> {
  const record = await deps.store.getRecord(message.recordId);
  if (!record) return 'noop';
  const config = await deps.store.getConfig(record.configId);
  if (!config || !config.enabled) return 'noop';
  const rule = config.rules[record.ruleIndex];
  if (!rule) return 'noop';
  if (message.action === 'push') {
    if (!message.adopt && record.skippedByAdmin) return 'noop';
    if (!message.adopt && provenUnchanged(record, message.sourceStamp)) return 'noop';
  }
  const retry = <T>(run: () => Promise<T>) => withRetry({ ...deps.retry, provider: config.provider }, run);
  const now = () => deps.clock.now().toISOString();
  let current: StoredRecord = record;
  const targetKind = record.kind === 'certificate' ? 'certificate' : 'secret';
  /** The Key Vault version being pushed, once read, and when it was read (the planner's proof of no change). */
  let sourceVersion: string | null = null;
  let readAt: string | null = null;
  let etag = record.etag;
  const save = async (patch: Partial<StoredRecord>): Promise<StoredRecord> => {
    const next: StoredRecord = { ...current, ...patch, updatedAt: now() };
    // Optimistic concurrency on the record's etag: another writer in between (an admin's skip) wins, this fails.
    const written = await deps.store.replaceRecord(next, etag);
    if (!written) throw new Error('The sync record changed meanwhile');
    etag = written;
    current = next;
    return next;
  };
  const history = (
    outcome: Parameters<SyncStore['addHistory']>[0]['outcome'],
    detail: string | null,
    targetVersion: string | null,
  ) =>
    deps.store.addHistory({
      id: `${current.id}.${sourceVersion ?? '-'}.${outcome}`,
      at: now(),
      configId: current.configId,
      recordId: current.id,
      sourceVault: current.sourceVault,
      sourceName: current.sourceName,
      sourceVersion,
      targetName: current.targetName,
      outcome,
      targetVersion,
      detail,
    });

  /** The audit entry of one write to the target (a push or a delete), made before the write (auditedChange). */
  const auditEntry = (details: Record<string, unknown>) => ({
    actor: { type: 'system' as const, name: 'Keyward sync' },
    action: 'sync.completed' as const,
    target: `${current.sourceVault}/${current.sourceName}`,
    outcome: 'success' as const,
    details: { provider: current.provider, targetName: current.targetName, ...details },
  });

  try {
    const provider = await deps.providerFor(config, rule);
    if (message.action === 'delete') {
      return await deleteTarget(
        provider,
        await retry(() => provider.describe(current.targetName, current.targetRef, targetKind)),
      );
    }
    return await push(provider);
  } catch (error) {
    // Only the provider's own refusal is final at once; anything else (throttling past the budget, storage, the
    // source vault) goes back to Service Bus for a later delivery, until the last one.
    const refused = error instanceof SyncProviderError && !error.retryable;
    if (!refused && !delivery.finalAttempt) throw error;
    const code = error instanceof SyncProviderError ? error.code : error instanceof Error ? error.name : 'Error';
    await save({ status: 'failed', lastError: code, reason: null });
    await history('failed', code, null);
    await raiseSyncAlert(deps.publish, 'sync_failed', current, { sourceVersion, errorCode: code });
    return 'failed';
  }

  async function push(provider: SyncProvider): Promise<WorkOutcome> {
    // The value is read for this push only and dropped when it returns; never stored, logged or queued.
    readAt = now();
    const source = await deps.source.read(
      current.sourceVault,
      current.kind === 'certificate' ? 'certificate' : 'secret',
      current.sourceName,
    );
    sourceVersion = source.version;
    const version = source.version;
    if (!source.enabled || (source.expiresOn && source.expiresOn.getTime() <= deps.clock.now().getTime())) {
      const reason = source.enabled ? 'the source version has expired' : 'the source version is disabled';
      await save({ status: 'skipped', reason, sourceStamp: message.sourceStamp });
      return 'skipped';
    }
    if (!message.adopt && current.status === 'synced' && current.lastSyncedSourceVersion === version) {
      // Only the attributes moved (same version): nothing to write.
      await save({ sourceStamp: message.sourceStamp, lastSyncedAt: readAt });
      return 'noop';
    }
    const state = await retry(() => provider.describe(current.targetName, current.targetRef, targetKind));
    if (pushLanded(current, version, state)) return finish(state.version ?? '', state.ref);
    const decision = decideTarget(current, state, message.adopt);
    if (decision.action === 'conflict') {
      const already = current.status === 'conflict' && current.reason === decision.reason;
      await save({
        status: 'conflict',
        reason: decision.reason,
        lastError: null,
        targetRef: state.ref ?? current.targetRef,
      });
      if (!already) {
        await history('conflict', decision.reason, state.version);
        await raiseSyncAlert(deps.publish, 'sync_conflict', current, {
          sourceVersion: version,
          reason: decision.reason,
        });
      }
      return 'conflict';
    }
    // A delivery that died after this same write-ahead may have written already.
    let mayHaveLanded = current.pendingSourceVersion === version;
    await save({ pendingSourceVersion: version, pendingBaseVersion: state.version });
    const entry = auditEntry({
      sourceVersion: version,
      operation: decision.action,
      ...(message.adopt ? { adopted: true } : {}),
    });
    const input = {
      targetName: current.targetName,
      knownRef: current.targetRef,
      payload: source.payload,
      ownership: { sourceVault: current.sourceVault, sourceName: current.sourceName, sourceVersion: version },
      idempotencyKey: idempotencyKey(current.id, version),
    };
    let before = state;
    let uncertain = false;
    const result = await auditedChange(deps.audit, entry, () =>
      retry(async () => {
        if (uncertain) {
          // The last write may have landed (a 5xx or lost answer; GCP and SSM have no request token): look first.
          const after = await provider.describe(current.targetName, current.targetRef, targetKind);
          if (pushLanded(current, version, after)) return { version: after.version ?? '', ref: after.ref ?? '' };
          const again = decideTarget(current, after, message.adopt);
          if (again.action === 'conflict') throw new PushConflict(again.reason, after);
          before = after;
          uncertain = false;
        }
        try {
          return await provider.push({ ...input, state: before, mayHaveLanded });
        } catch (error) {
          if (
            error instanceof SyncProviderError &&
            (error.ambiguous ||
              error.code === 'ALREADY_EXISTS' ||
              error.code === 'ResourceExistsException' ||
              error.code === 'ParameterAlreadyExists')
          ) {
            uncertain = true;
            mayHaveLanded = true;
            throw new SyncProviderError(error.code, true, true);
          }
          throw error;
        }
      }),
    ).catch(async (error: unknown) => {
      if (!(error instanceof PushConflict)) throw error;
      await save({ status: 'conflict', reason: error.reason, lastError: null, pendingSourceVersion: null });
      await history('conflict', error.reason, error.state.version);
      await raiseSyncAlert(deps.publish, 'sync_conflict', current, { sourceVersion: version, reason: error.reason });
      return null;
    });
    if (!result) return 'conflict';
    return finish(result.version, result.ref);
  }

  async function finish(targetVersion: string, ref: string | null): Promise<WorkOutcome> {
    await save({
      status: 'synced',
      lastSyncedSourceVersion: sourceVersion,
      sourceStamp: message.sourceStamp,
      targetVersion,
      targetRef: ref || current.targetRef,
      pendingSourceVersion: null,
      pendingBaseVersion: null,
      lastError: null,
      reason: null,
      lastSyncedAt: readAt ?? now(),
      skippedByAdmin: false,
    });
    await history(message.adopt ? 'adopted' : 'synced', null, targetVersion);
    await raiseSyncAlert(deps.publish, 'sync_success', current, { sourceVersion });
    return 'synced';
  }

  async function deleteTarget(provider: SyncProvider, state: TargetState): Promise<WorkOutcome> {
    if (!state.exists || state.pendingDeletion) {
      await save({
        status: 'deletionScheduled',
        reason: 'the source was deleted; the target is gone or scheduled for deletion',
      });
      return 'noop';
    }
    if (!state.owned || (current.targetVersion && state.version !== current.targetVersion)) {
      const reason = state.owned
        ? 'the target was changed outside Keyward; not deleted'
        : "the target is not Keyward's; not deleted";
      await save({ status: 'conflict', reason });
      await history('conflict', reason, state.version);
      await raiseSyncAlert(deps.publish, 'sync_conflict', current, { sourceVersion: null, reason });
      return 'conflict';
    }
    if (provider.deletes === 'none' || rule?.deleteBehaviour !== 'delete') {
      const reason =
        provider.deletes === 'none'
          ? `the source was deleted; ${current.provider} has no recovery window, so the target is kept`
          : 'the source was deleted; deletes are off, so the target is kept';
      await save({ status: 'retained', reason });
      await history('retained', reason, state.version);
      return 'retained';
    }
    const days = rule.recoveryWindowDays;
    const entry = auditEntry({ operation: 'delete', recoveryWindowDays: days });
    const { finalAt } = await auditedChange(deps.audit, entry, () =>
      retry(() => provider.remove(current.targetName, state, days)),
    );
    const reason = `the source was deleted; the target is scheduled for deletion${finalAt ? ` on ${finalAt}` : ''}`;
    await save({ status: 'deletionScheduled', reason });
    await history('deletionScheduled', reason, state.version);
    return 'deletionScheduled';
  }
}

export type { StoredConfig };
