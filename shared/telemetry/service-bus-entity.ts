import type { FunctionTrigger } from '@azure/functions';
import { queueList } from '../config/queues';
import { topicList } from '../config/topics';

/** The queue or topic subscription a Service Bus trigger reads, as the span and the dead-letter metric name it. */
export interface ServiceBusEntity {
  /** The queue or topic name (`messaging.destination.name`). */
  readonly destination: string;
  readonly subscription?: string;
  /** `queue` or `<topic>/subscriptions/<subscription>`: the entity whose dead-letter queue a message lands in. */
  readonly path: string;
  /** From the queue and topic lists; undefined for an entity they do not declare. */
  readonly maxDeliveryCount?: number;
}

export function serviceBusEntityOf(trigger: FunctionTrigger): ServiceBusEntity | undefined {
  if (trigger.type !== 'serviceBusTrigger') return undefined;
  const { queueName, topicName, subscriptionName } = trigger;
  if (typeof queueName === 'string') {
    const max = queueList.find((q) => q.name === queueName)?.maxDeliveryCount;
    return { destination: queueName, path: queueName, ...(max === undefined ? {} : { maxDeliveryCount: max }) };
  }
  if (typeof topicName === 'string' && typeof subscriptionName === 'string') {
    const max = topicList
      .find((t) => t.name === topicName)
      ?.subscriptions.find((s) => s.name === subscriptionName)?.maxDeliveryCount;
    return {
      destination: topicName,
      subscription: subscriptionName,
      path: `${topicName}/subscriptions/${subscriptionName}`,
      ...(max === undefined ? {} : { maxDeliveryCount: max }),
    };
  }
  return undefined;
}
