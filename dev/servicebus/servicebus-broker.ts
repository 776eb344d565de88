import type { Connection, Sender } from 'rhea';
import type { QueueSpec } from '../../shared/config/queues';
import type { Clock } from '../../shared/time/clock';
import { lockTokenToDeliveryTag, toOutgoingMessage } from './servicebus-message';
import { QueueStore } from './servicebus-queue';

const DEAD_LETTER_SUFFIX = '/$deadletterqueue';
const MANAGEMENT_SUFFIX = '/$management';

interface Consumer {
  readonly store: QueueStore;
  readonly sender: Sender;
  readonly peekLock: boolean;
}

/** What an AMQP link address names: a queue (or its dead-letter queue), or that entity's `$management` node. */
export interface ResolvedAddress {
  readonly store: QueueStore;
  readonly management: boolean;
}

/**
 * All queues of one emulator and the receivers consuming them. Hands messages to receiver links as
 * they have credit, round-robin, and applies the clock to locks and schedules on every `tick()`.
 */
export class Broker {
  private readonly stores = new Map<string, QueueStore>();
  private readonly consumers = new Map<Sender, Consumer>();
  private nextConsumer = 0;

  constructor(queues: readonly QueueSpec[], clock: Clock) {
    for (const spec of queues) {
      const deadLetter = new QueueStore(spec, clock);
      this.stores.set(spec.name.toLowerCase(), new QueueStore(spec, clock, deadLetter));
      this.stores.set(spec.name.toLowerCase() + DEAD_LETTER_SUFFIX, deadLetter);
    }
  }

  /** Entity names are case-insensitive in Service Bus, and the SDK spells the sub-queue `$DeadLetterQueue`. */
  resolve(address: string | undefined): ResolvedAddress | undefined {
    if (!address) return undefined;
    let path = address
      .replace(/^(amqps?|sb):\/\/[^/]+\//i, '')
      .replace(/^\/+/, '')
      .toLowerCase();
    const management = path.endsWith(MANAGEMENT_SUFFIX);
    if (management) path = path.slice(0, -MANAGEMENT_SUFFIX.length);
    const store = this.stores.get(path);
    return store ? { store, management } : undefined;
  }

  /** A queue accepts sends; its dead-letter queue does not. */
  isSendable(store: QueueStore): boolean {
    return this.stores.get(store.spec.name.toLowerCase()) === store;
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
    for (const store of this.stores.values()) this.pump(store);
  }

  /** Expires locks, enqueues due scheduled messages, and delivers whatever became available. */
  tick(): void {
    let changed = false;
    for (const store of this.stores.values()) changed = store.tick() || changed;
    if (changed) this.pumpAll();
  }
}
