import { queues } from '../config/queues';
import { parseEvent } from '../events/event-consumer';
import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { appLog } from '../runtime/app-log';
import { parseMessage } from '../runtime/malformed-message';
import { syncMessageSchema } from './sync-schemas';
import type { SyncDeps } from './sync-runtime';
import { createSyncService } from './sync-service';
import { processSyncMessage } from './sync-worker';

/** The sync's subscription on the scan topic (declared in shared/config/topics.ts). */
export const SYNC_SUBSCRIPTION = 'sync';

type Properties = Readonly<Record<string, unknown>>;

/** The timer: plans every enabled config; each changed object becomes one queue message. */
export async function syncTimer(deps: SyncDeps, license: ScheduledWorkGuard): Promise<number> {
  if (!(await license.allows())) return 0;
  return createSyncService(deps).syncAll();
}

/**
 * `scan.completed` → plan every enabled config: a source whose version moved since its last sync is queued.
 * Planning reads Key Vault metadata only, so a scan with no change costs no request to any target.
 */
export async function onScanCompleted(
  deps: SyncDeps,
  raw: unknown,
  license: ScheduledWorkGuard,
  metadata?: Properties,
): Promise<void> {
  const properties = (metadata?.applicationProperties as Properties | undefined) ?? {};
  const event = parseEvent(raw, ['scan.completed'], SYNC_SUBSCRIPTION, properties);
  if (!event || !(await license.allows())) return;
  const queued = await createSyncService(deps).syncAll();
  appLog.info(`scan ${event.data.scanId}: ${queued} sync message(s)`);
}

/**
 * One sync message. A malformed one is dead-lettered; a retryable failure is thrown back so Service Bus
 * redelivers it, until the last delivery, which records the failure and alerts instead.
 */
export async function onSyncMessage(
  deps: SyncDeps,
  raw: unknown,
  deliveryCount: number,
  license: ScheduledWorkGuard,
): Promise<void> {
  const message = parseMessage(syncMessageSchema, raw, 'sync');
  if (!(await license.allows())) return;
  const outcome = await processSyncMessage(deps.worker, message, {
    finalAttempt: deliveryCount >= queues.sync.maxDeliveryCount,
  });
  appLog.info(`sync record ${message.recordId}: ${outcome}`);
}
