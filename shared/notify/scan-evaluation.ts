import type { DigestStore } from './digest-store';
import type { InventoryItem } from '../inventory/inventory-item';
import { daysRemaining } from '../inventory/severity';
import type { AlertRaised, ScanCompleted } from '../events/event-catalog';
import type { Clock } from '../time/clock';
import { enqueueByChannel, type EnqueueDeliveries } from './alert-dispatch';
import { planDeliveries } from './delivery-planner';
import type { NotifyConfigStore } from './notify-config-store';
import type { NotifyItem } from './notify-schemas';
import type { NotifyPolicy } from './notify-policy';
import { evaluateReminders, type Snooze } from './reminder-engine';
import type { ReminderStateStore } from './reminder-state-store';

export interface ScanEvaluationDeps {
  readonly items: () => AsyncIterable<InventoryItem>;
  readonly state: ReminderStateStore;
  readonly digests: Pick<DigestStore, 'add'>;
  readonly config: Pick<NotifyConfigStore, 'listSnoozes'>;
  readonly policy: () => Promise<NotifyPolicy>;
  /** Sends delivery messages to the channel's queue with messageId = deliveryKey. */
  readonly enqueue: EnqueueDeliveries;
  readonly clock: Clock;
}

const DIRECTORY = 'Entra ID';

/**
 * The inventory's item as the notifier sees it; app credentials name their application. The severity is the one
 * the scan's close evaluated and stored, never classified again here.
 */
export function toNotifyItem(item: InventoryItem, now: Date): NotifyItem {
  const expiresOn = item.expiresOn ? new Date(item.expiresOn) : null;
  return {
    id: item.id,
    scope: item.partition,
    kind: item.type,
    name: item.appDisplayName ? `${item.appDisplayName} / ${item.name}` : item.name,
    vaultName: item.vaultName ?? DIRECTORY,
    subscriptionId: item.subscriptionId ?? '',
    subscriptionName: item.subscriptionName ?? '',
    expiresOn: expiresOn?.toISOString() ?? null,
    severity: item.severity,
    daysRemaining: expiresOn ? daysRemaining(expiresOn, now) : null,
    tags: { ...item.vaultTags },
  };
}

/**
 * Runs after a scan closes: reminder engine → delivery plan → queues → state. Messages are sent before the
 * state is written, so a crash in between re-runs the same evaluation, whose delivery keys are identical
 * (the broker's duplicate detection and the delivery store's "sent" record drop the repeats).
 */
export async function evaluateScan(
  deps: ScanEvaluationDeps,
  scan: ScanCompleted,
  correlationId = '',
): Promise<{ events: number; deliveries: number }> {
  const now = new Date(scan.completedAt);
  const policy = await deps.policy();
  const items: NotifyItem[] = [];
  for await (const item of deps.items()) {
    // Disabled credentials cannot be used, and items past the tier's limit are hidden everywhere.
    if (!item.enabled || item.excluded) continue;
    items.push(toNotifyItem(item, now));
  }
  const snoozes = new Map<string, Snooze>((await deps.config.listSnoozes()).map((s) => [s.itemId, s]));
  const outcome = evaluateReminders({
    scanId: scan.scanId,
    now,
    items,
    previous: await deps.state.load(),
    snoozes,
    unreachableScopes: new Set(scan.unreachablePartitions),
    policy,
  });
  const { messages, digests } = planDeliveries({
    scanId: scan.scanId,
    now,
    events: outcome.events,
    routing: policy.routing,
    channels: policy.channels,
    rules: policy.rules,
    correlationId,
    alerts: scanAlerts(scan, { scanId: scan.scanId, items: items.length, events: outcome.events.length }),
  });
  await enqueueByChannel(deps.enqueue, messages);
  if (digests.length > 0) await deps.digests.add(digests);
  await deps.state.apply(outcome.state);
  return { events: outcome.events.length, deliveries: messages.length };
}

/**
 * The scan's own alerts, raised like any feature's: its completion (informational, for scan_completed rules) and,
 * when vaults could not be read, one vault_error alert. Their dedup keys are the scan id, so a re-run of the same
 * evaluation plans the same deliveries.
 */
function scanAlerts(scan: ScanCompleted, summary: Readonly<Record<string, string | number>>): AlertRaised[] {
  const alerts: AlertRaised[] = [
    {
      alertType: 'scan_completed',
      subject: 'scan completed',
      severity: 'info',
      facts: { ...summary },
      dedupKey: `scan:${scan.scanId}`,
      subscriptionId: '',
      tags: {},
    },
  ];
  const failed = scan.unreachablePartitions;
  if (failed.length > 0) {
    alerts.push({
      alertType: 'vault_error',
      subject: `could not read ${failed.length} vault(s)`,
      severity: 'warning',
      facts: { vaults: failed.slice(0, 50).join(', ').slice(0, 1000), count: failed.length },
      dedupKey: `vaults:${scan.scanId}`,
      subscriptionId: '',
      tags: {},
    });
  }
  return alerts;
}
