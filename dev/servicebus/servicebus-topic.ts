import type { Message } from 'rhea';
import type { QueueSpec } from '../../shared/config/queues';
import type { SubscriptionSpec, TopicSpec } from '../../shared/config/topics';
import type { Clock } from '../../shared/time/clock';
import { QueueStore } from './servicebus-queue';

/** A subscription's entity path as the SDK forms it (the broker matches it case-insensitively). */
export function subscriptionPath(topic: string, subscription: string): string {
  return `${topic}/Subscriptions/${subscription}`;
}

/**
 * A subscription is a queue fed by its topic: its own locks, delivery counts, time-to-live and dead-letter
 * sub-queue. It has no duplicate detection of its own (window 0): the topic drops duplicates before fan-out.
 */
export function subscriptionQueueSpec(topic: TopicSpec, subscription: SubscriptionSpec): QueueSpec {
  return {
    name: subscriptionPath(topic.name, subscription.name),
    maxDeliveryCount: subscription.maxDeliveryCount,
    lockDurationSeconds: subscription.lockDurationSeconds,
    duplicateDetectionWindowSeconds: 0,
  };
}

/**
 * A topic. What is sent to it enters an intake queue, which gives it the topic's sequence number (what
 * scheduleMessages returns and cancelScheduledMessages takes), applies the topic's duplicate detection and holds
 * scheduled messages until due. A due message leaves the intake at once and a copy of it goes into every
 * subscription, where it gets that subscription's own sequence number (Service Bus numbers each subscription from 1).
 * With no subscription the message is dropped, as Service Bus does.
 */
export class TopicStore {
  private readonly intake: QueueStore;

  constructor(
    readonly spec: TopicSpec,
    clock: Clock,
    private readonly subscriptions: readonly QueueStore[],
  ) {
    // Nothing locks or dead-letters in the intake: messages only pass through it, so those values never apply.
    const intakeSpec = {
      name: spec.name,
      maxDeliveryCount: 1,
      lockDurationSeconds: 0,
      duplicateDetectionWindowSeconds: spec.duplicateDetectionWindowSeconds,
    };
    this.intake = new QueueStore(intakeSpec, clock);
  }

  /** Accepts a sent message. Returns its topic sequence number, or undefined for a dropped duplicate. */
  enqueue(amqp: Message): number | undefined {
    const sequenceNumber = this.intake.enqueue(amqp);
    this.fanOut();
    return sequenceNumber;
  }

  cancelScheduled(sequenceNumber: number): void {
    this.intake.cancelScheduled(sequenceNumber);
  }

  /** Fans out scheduled messages that became due. Returns true when a subscription received one. */
  tick(): boolean {
    this.intake.tick();
    return this.fanOut();
  }

  private fanOut(): boolean {
    let delivered = false;
    for (let message = this.intake.takeNext(false); message; message = this.intake.takeNext(false)) {
      for (const subscription of this.subscriptions) {
        // A shallow copy each: settlement replaces a copy's application properties, never its siblings'.
        subscription.enqueue({ ...message.amqp });
        delivered = true;
      }
    }
    return delivered;
  }
}
