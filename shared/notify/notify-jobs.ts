import { parseEvent } from '../events/event-consumer';
import { appLog } from '../runtime/app-log';
import { parseMessage } from '../runtime/malformed-message';
import { dispatchAlert } from './alert-dispatch';
import { deliveryMessageSchema } from './notify-schemas';
import type { NotifyServices } from './notify-runtime';
import { evaluateScan } from './scan-evaluation';
import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';

/** Notifications' subscription on each topic it consumes (declared in shared/config/topics.ts). */
export const NOTIFY_SUBSCRIPTION = 'notify';

type Properties = Readonly<Record<string, unknown>>;
const propertiesOf = (metadata: Properties | undefined): Properties =>
  (metadata?.applicationProperties as Properties | undefined) ?? {};

/** `scan.completed` → the reminder engine over the evaluated inventory, and the scan's own alerts. */
export async function onScanEvent(
  notify: Pick<NotifyServices, 'evaluationDeps'>,
  raw: unknown,
  license: ScheduledWorkGuard,
  metadata?: Properties,
): Promise<void> {
  const event = parseEvent(raw, ['scan.completed'], NOTIFY_SUBSCRIPTION, propertiesOf(metadata));
  // After the trial nothing is sent; the message completes (the event is not owed to anyone later).
  if (!event || !(await license.allows())) return;
  const result = await evaluateScan(notify.evaluationDeps(), event.data, event.correlationId);
  appLog.info(
    `scan ${event.data.scanId}: ${result.events} notification event(s), ${result.deliveries} delivery message(s)`,
  );
}

/** `alert.raised` from any feature → deliveries through the same rules, channels, dedup and history. */
export async function onAlertEvent(
  notify: Pick<NotifyServices, 'alertDeps'>,
  raw: unknown,
  license: ScheduledWorkGuard,
  metadata?: Properties,
): Promise<void> {
  const event = parseEvent(raw, ['alert.raised'], NOTIFY_SUBSCRIPTION, propertiesOf(metadata));
  if (!event || !(await license.allows())) return;
  const { deliveries } = await dispatchAlert(notify.alertDeps, event);
  appLog.info(`alert ${event.data.alertType} (${event.id}): ${deliveries} delivery message(s)`);
}

/** One delivery attempt from a channel queue; a malformed message is dead-lettered, never dropped. */
export async function deliver(
  notify: Pick<NotifyServices, 'worker'>,
  raw: unknown,
  deliveryCount: number,
  license: ScheduledWorkGuard,
): Promise<void> {
  const message = parseMessage(deliveryMessageSchema, raw, 'delivery');
  if (!(await license.allows())) return;
  await notify.worker(message, deliveryCount);
}

/** The digest timer: sends what the digests collected, unless the licence stops scheduled work. */
export async function flushDigests(
  notify: Pick<NotifyServices, 'flushDigests'>,
  license: ScheduledWorkGuard,
): Promise<number> {
  return (await license.allows()) ? notify.flushDigests() : 0;
}
