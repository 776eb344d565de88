import type { ConsumedEvent } from '../events/event-consumer';
import { groupBy } from '../runtime/group-by';
import { planAlert } from './delivery-planner';
import type { ChannelType, DeliveryMessage } from './notify-schemas';
import type { NotifyPolicy } from './notify-policy';

export type EnqueueDeliveries = (channel: ChannelType, messages: readonly DeliveryMessage[]) => Promise<void>;

/** Sends planned deliveries to their channels' queues, one batch per channel. */
export async function enqueueByChannel(
  enqueue: EnqueueDeliveries,
  messages: readonly DeliveryMessage[],
): Promise<void> {
  for (const [channel, batch] of groupBy(messages, (m) => m.channel)) await enqueue(channel, batch);
}

export interface AlertDispatchDeps {
  readonly policy: () => Promise<NotifyPolicy>;
  readonly enqueue: EnqueueDeliveries;
}

/**
 * An `alert.raised` event from any feature → its deliveries, planned by the same function as the scan's own
 * alerts and sent through the same channel queues, workers, delivery store (history) and dedup. Re-running it
 * for a redelivered event plans identical delivery keys, which the broker and the delivery store drop.
 */
export async function dispatchAlert(
  deps: AlertDispatchDeps,
  event: ConsumedEvent<'alert.raised'>,
): Promise<{ deliveries: number }> {
  const policy = await deps.policy();
  const messages = planAlert(
    {
      scanId: '',
      now: new Date(event.occurredAt),
      correlationId: event.correlationId,
      routing: policy.routing,
      channels: policy.channels,
      rules: policy.rules,
    },
    event.data,
  );
  await enqueueByChannel(deps.enqueue, messages);
  return { deliveries: messages.length };
}
