import type { DigestStore } from './digest-store';
import type { InventoryItem } from '../inventory/inventory-item';
import { classify, daysRemaining, type Thresholds } from '../inventory/severity';
import type { Clock } from '../time/clock';
import { planDeliveries, type ActiveChannel } from './delivery-planner';
import type { NotifyConfigStore, StoredRule } from './notify-config-store';
import type { RoutingConfig } from './notify-routing';
import type { ChannelType, DeliveryMessage, NotifyItem } from './notify-schemas';
import { evaluateReminders, type ReminderPolicy, type Snooze } from './reminder-engine';
import type { ReminderStateStore } from './reminder-state-store';

/** What a closed scan hands the notifier (the `scan-completed` message of the scan pipeline). */
export interface ScanCompleted {
  readonly scanId: string;
  readonly completedAt: string;
  /** Inventory partitions (vaults, the directory) the scan could not read. */
  readonly unreachablePartitions: readonly string[];
}

/** The notification settings in force for one evaluation. */
export interface NotifyPolicy extends ReminderPolicy {
  readonly thresholds: Thresholds;
  readonly routing: RoutingConfig;
  readonly channels: readonly ActiveChannel[];
  readonly rules: readonly StoredRule[];
}

export interface ScanEvaluationDeps {
  readonly items: () => AsyncIterable<InventoryItem>;
  readonly state: ReminderStateStore;
  readonly digests: Pick<DigestStore, 'add'>;
  readonly config: Pick<NotifyConfigStore, 'listSnoozes'>;
  readonly policy: () => Promise<NotifyPolicy>;
  /** Sends delivery messages to the channel's queue with messageId = deliveryKey. */
  readonly enqueue: (channel: ChannelType, messages: readonly DeliveryMessage[]) => Promise<void>;
  readonly clock: Clock;
}

const DIRECTORY = 'Entra ID';

/** The inventory's item as the notifier sees it; app credentials name their application. */
export function toNotifyItem(item: InventoryItem, now: Date, thresholds: Thresholds): NotifyItem {
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
    // Classified here with the same thresholds and instant the scan's evaluation used.
    severity: classify(expiresOn, now, thresholds),
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
): Promise<{ events: number; deliveries: number }> {
  const now = new Date(scan.completedAt);
  const policy = await deps.policy();
  const items: NotifyItem[] = [];
  for await (const item of deps.items()) {
    // Disabled credentials cannot be used, and items past the tier's limit are hidden everywhere.
    if (!item.enabled || item.excluded) continue;
    items.push(toNotifyItem(item, now, policy.thresholds));
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
    scan: {
      summary: { scanId: scan.scanId, items: items.length, events: outcome.events.length },
      vaultErrors: scan.unreachablePartitions,
    },
  });
  const byChannel = new Map<ChannelType, DeliveryMessage[]>();
  for (const message of messages) byChannel.set(message.channel, [...(byChannel.get(message.channel) ?? []), message]);
  for (const [channel, batch] of byChannel) await deps.enqueue(channel, batch);
  if (digests.length > 0) await deps.digests.add(digests);
  await deps.state.apply(outcome.state);
  return { events: outcome.events.length, deliveries: messages.length };
}
