import type { PublishEvent } from '../events/event-publisher';
import type { StoredRecord } from './sync-store';

export type SyncAlert = 'sync_success' | 'sync_failed' | 'sync_conflict';

const severity = { sync_success: 'info', sync_failed: 'warning', sync_conflict: 'warning' } as const;
const verb = { sync_success: 'synced', sync_failed: 'failed to sync', sync_conflict: 'has a sync conflict' } as const;

/**
 * Raises a sync alert on the generic path (`alert.raised` → notify's dispatchAlert): names, versions and codes
 * only. The dedup key names the record, the source version and the outcome, so a redelivered message raises once.
 */
export async function raiseSyncAlert(
  publish: PublishEvent,
  type: SyncAlert,
  record: StoredRecord,
  details: { sourceVersion: string | null; reason?: string | null; errorCode?: string | null },
): Promise<void> {
  const dedupKey = `sync:${record.id}:${details.sourceVersion ?? '-'}:${type}`;
  await publish('alert.raised', dedupKey, {
    alertType: type,
    subject: `${record.sourceVault}/${record.sourceName} ${verb[type]} to ${record.provider}`,
    severity: severity[type],
    facts: {
      source: `${record.sourceVault}/${record.sourceName}`,
      sourceVersion: details.sourceVersion ?? '',
      provider: record.provider,
      target: record.targetName,
      ...(details.reason ? { reason: details.reason } : {}),
      ...(details.errorCode ? { error: details.errorCode } : {}),
    },
    dedupKey,
    subscriptionId: '',
    tags: {},
  });
}
