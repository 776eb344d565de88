import type { Connection, Message, Sender } from 'rhea';
import type { QueueSpec } from '../../shared/config/queues';
import type { TopicSpec } from '../../shared/config/topics';
import type { Clock } from '../../shared/time/clock';
import { lockTokenToDeliveryTag, toOutgoingMessage } from './servicebus-message';
import { QueueStore } from './servicebus-queue';
import { subscriptionQueueSpec, TopicStore } from './servicebus-topic';

const DEAD_LETTER_SUFFIX = '/$deadletterqueue';
const MANAGEMENT_SUFFIX = '/$management';

interface Consumer {
  readonly store: QueueStore;
  readonly sender: Sender;
  readonly peekLock: boolean;
}

/** What a sender reaches: a queue, or a topic that copies each message into its subscriptions. */
export interface SendTarget {
  /** Returns the sequence number, or undefined for a dropped duplicate. */
  enqueue(amqp: Message): number | undefined;
  cancelScheduled(sequenceNumber: number): void;
}

/** An addressable entity: a topic is only sent to; a subscription or a dead-letter queue is only received from. */
export interface Entity {
  readonly kind: 'queue' | 'topic' | 'subscription' | 'dead-letter queue';
  readonly sendTo?: SendTarget;
  readonly receiveFrom?: QueueStore;
}

/** What an AMQP link address names: an entity, or that entity's `$management` node. */
export interface ResolvedAddress extends Entity {
  /** The entity's path as the client spelled it, without `/$management`. */
  readonly entityPath: string;
  readonly management: boolean;
}

export interface AmqpError {
  readonly condition: string;
  readonly description: string;
}

/**
 * The error for a send to an entity that only receives (subscription, dead-letter queue) or a receive from one that
 * only takes sends (topic). Service Bus refuses a link to the wrong kind of entity with `amqp:not-allowed` (a topic
 * link on a subscription gets "Cannot open a Topic client for entity type Subscriber."); its exact wording for these
 * cases was not found, so the descriptions are the emulator's own. The SDK reports the condition as a
 * non-retryable ServiceBusError ("InvalidOperationError: …").
 */
export function wrongEntity(entity: ResolvedAddress, attempted: 'send' | 'receive'): AmqpError {
  const { kind, entityPath } = entity;
  const description =
    attempted === 'receive'
      ? `Cannot receive from ${kind} '${entityPath}': receive from '${entityPath}/Subscriptions/<subscription>'.`
      : kind === 'subscription'
        ? `Cannot send to ${kind} '${entityPath}': send to its topic.`
        : `Cannot send to ${kind} '${entityPath}'.`;
  return { condition: 'amqp:not-allowed', description };
}

/**
 * All queues and topics of one emulator and the receivers consuming them. Hands messages to receiver links as
 * they have credit, round-robin, and applies the clock to locks and schedules on every `tick()`.
 */
export class Broker {
  private readonly entities = new Map<string, Entity>();
  /** Every store a receiver can take from: queues, subscriptions and their dead-letter queues. */
  private readonly stores: QueueStore[] = [];
  private readonly topicStores: TopicStore[] = [];
  private readonly consumers = new Map<Sender, Consumer>();
  private nextConsumer = 0;

  constructor(
    queues: readonly QueueSpec[],
    topics: readonly TopicSpec[],
    private readonly clock: Clock,
  ) {
    for (const spec of queues) this.addStore(spec, 'queue');
    for (const spec of topics) {
      const subscriptions = spec.subscriptions.map((s) =>
        this.addStore(subscriptionQueueSpec(spec, s), 'subscription'),
      );
      const topic = new TopicStore(spec, clock, subscriptions);
      this.topicStores.push(topic);
      this.entities.set(spec.name.toLowerCase(), { kind: 'topic', sendTo: topic });
    }
  }

  /** Entity names are case-insensitive in Service Bus, and the SDK spells the sub-queue `$DeadLetterQueue`. */
  resolve(address: string | undefined): ResolvedAddress | undefined {
    if (!address) return undefined;
    let entityPath = address.replace(/^(amqps?|sb):\/\/[^/]+\//i, '').replace(/^\/+/, '');
    const management = entityPath.toLowerCase().endsWith(MANAGEMENT_SUFFIX);
    if (management) entityPath = entityPath.slice(0, -MANAGEMENT_SUFFIX.length);
    const entity = this.entities.get(entityPath.toLowerCase());
    return entity ? { ...entity, entityPath, management } : undefined;
  }

  /** Locks that expired on a queue (or subscription) since the broker started; 0 for an unknown entity. */
  expiredLocks(entityPath: string): number {
    return this.resolve(entityPath)?.receiveFrom?.expiredLocks ?? 0;
  }

  addConsumer(store: QueueStore, sender: Sender, peekLock: boolean): void {
    this.consumers.set(sender, { store, sender, peekLock });
  }

  removeConsumer(sender: Sender): void {
    this.consumers.delete(sender);
  }

  removeConsumersOf(connection: Connection): void {
    for (const sender of this.consumers.keys()) if (sender.connection === connection) this.consumers.delete(sender);
  }

  storeOf(sender: Sender): QueueStore | undefined {
    return this.consumers.get(sender)?.store;
  }

  /** Sends available messages of a queue to its receivers while they have credit. */
  pump(store: QueueStore): void {
    const candidates = [...this.consumers.values()].filter((c) => c.store === store);
    while (store.hasAvailable()) {
      const ready = candidates.filter((c) => c.sender.is_open() && c.sender.sendable());
      if (ready.length === 0) return;
      const consumer = ready[this.nextConsumer++ % ready.length];
      if (!consumer) return;
      const message = store.takeNext(consumer.peekLock);
      if (!message) return;
      const tag = message.lock ? lockTokenToDeliveryTag(message.lock.token) : undefined;
      consumer.sender.send(toOutgoingMessage(message), tag);
    }
  }

  pumpAll(): void {
    for (const store of this.stores) this.pump(store);
  }

  /** Fans out due topic messages, expires locks, enqueues due scheduled messages, delivers what became available. */
  tick(): void {
    let changed = false;
    for (const topic of this.topicStores) changed = topic.tick() || changed;
    for (const store of this.stores) changed = store.tick() || changed;
    if (changed) this.pumpAll();
  }

  /** A queue or subscription with its dead-letter sub-queue; only a queue accepts sends. */
  private addStore(spec: QueueSpec, kind: 'queue' | 'subscription'): QueueStore {
    const deadLetter = new QueueStore(spec, this.clock);
    const store = new QueueStore(spec, this.clock, deadLetter);
    const path = spec.name.toLowerCase();
    this.entities.set(path, { kind, receiveFrom: store, ...(kind === 'queue' ? { sendTo: store } : {}) });
    this.entities.set(path + DEAD_LETTER_SUFFIX, { kind: 'dead-letter queue', receiveFrom: deadLetter });
    this.stores.push(store, deadLetter);
    return store;
  }
}
