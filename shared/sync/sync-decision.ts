import type { TargetState } from './providers/sync-provider';
import type { SourceObject } from './sync-source';
import type { StoredRecord } from './sync-store';

/**
 * The sync's decisions, pure so they are tested day by day without a cloud. The first needs no request to the
 * target (so an unchanged object costs nothing); the second looks at the target just described.
 */
export type SourceDecision = { readonly action: 'push' } | { readonly action: 'unchanged' } | SkipDecision;
interface SkipDecision {
  readonly action: 'skip';
  readonly reason: string;
}

export const KEYS_NOT_EXPORTABLE = 'Key Vault keys are not exportable';

export function decideSource(
  source: Pick<SourceObject, 'kind' | 'stamp' | 'enabled' | 'expiresOn'>,
  record: Pick<StoredRecord, 'sourceStamp' | 'status' | 'skippedByAdmin' | 'lastSyncedAt'> | null,
  now: Date,
): SourceDecision {
  if (source.kind === 'key') return { action: 'skip', reason: KEYS_NOT_EXPORTABLE };
  if (!source.enabled) return { action: 'skip', reason: 'the source version is disabled' };
  if (source.expiresOn && source.expiresOn.getTime() <= now.getTime()) {
    return { action: 'skip', reason: 'the source version has expired' };
  }
  if (record?.skippedByAdmin) return { action: 'skip', reason: 'an admin chose to skip this conflict' };
  if (record && provenUnchanged(record, source.stamp)) return { action: 'unchanged' };
  return { action: 'push' };
}

/**
 * The record already holds what the source's stamp describes. Key Vault stamps have whole seconds: a version set
 * in the same second as the last read could hide behind an equal stamp, so only a read at least a second later
 * proves it. Otherwise the worker re-reads the source and, finding the same version, writes nothing.
 */
export function provenUnchanged(
  record: Pick<StoredRecord, 'sourceStamp' | 'status' | 'lastSyncedAt'>,
  stamp: string | null,
): boolean {
  if (record.status !== 'synced' || stamp === null || record.sourceStamp !== stamp) return false;
  const readAt = record.lastSyncedAt ? Date.parse(record.lastSyncedAt) : 0;
  return readAt >= Date.parse(stamp) + 1000;
}

export type TargetDecision =
  | { readonly action: 'create' }
  | { readonly action: 'update' }
  | { readonly action: 'conflict'; readonly reason: string };

/**
 * Keyward writes only what carries its tag and has not moved since Keyward last wrote it. `adopt` is an admin's
 * explicit decision to take over the target as it is now.
 */
export function decideTarget(
  record: Pick<StoredRecord, 'targetVersion'>,
  target: TargetState,
  adopt: boolean,
): TargetDecision {
  if (!target.exists) {
    if (record.targetVersion && !adopt) return { action: 'conflict', reason: 'the target was deleted outside Keyward' };
    return { action: 'create' };
  }
  if (target.pendingDeletion) return { action: 'conflict', reason: 'the target is scheduled for deletion' };
  if (adopt) return { action: 'update' };
  if (!target.owned) return { action: 'conflict', reason: 'the target exists without the managed-by=keyward tag' };
  if (record.targetVersion && target.version !== record.targetVersion) {
    return { action: 'conflict', reason: 'the target was changed outside Keyward since the last sync' };
  }
  return { action: 'update' };
}

/**
 * After a crash or an ambiguous failure, the write of the push in flight is recognised by the target having moved
 * from the version it had just before (and still carrying Keyward's tag).
 */
export function pushLanded(
  record: Pick<StoredRecord, 'pendingSourceVersion' | 'pendingBaseVersion'>,
  sourceVersion: string,
  target: TargetState,
): boolean {
  return (
    record.pendingSourceVersion === sourceVersion &&
    target.exists &&
    target.owned &&
    target.version !== null &&
    target.version !== record.pendingBaseVersion
  );
}
