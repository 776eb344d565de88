import { randomUUID } from 'node:crypto';
import type { Message } from 'rhea';
import type { QueueSpec } from '../../shared/config/queues';
import type { Clock } from '../../shared/time/clock';
import { DuplicateDetector } from './servicebus-duplicates';

/** One message held by the broker, with the state Service Bus tracks for it. */
export interface StoredMessage {
  readonly sequenceNumber: number;
  /** The AMQP message as the client sent it (application properties may be modified on settlement). */
  readonly amqp: Message;
  readonly enqueuedAt: Date;
  /** Failed deliveries so far: the AMQP header `delivery-count`, which the JS SDK reports as `deliveryCount`. */
  deliveryCount: number;
  scheduledFor?: Date;
  lock?: { readonly token: string; until: Date };
}

export const SCHEDULED_ENQUEUE_TIME = 'x-opt-scheduled-enqueue-time';

/**
 * The state of one queue (or of its dead-letter sub-queue): available messages in sequence order,
 * peek-locked ones by lock token, scheduled ones, and the duplicate-detection window. Time comes
 * from the injected clock; `tick()` applies lock expiry and scheduled enqueue times.
 */
export class QueueStore {
  /** Locks that ran out before their message was settled (each one a redelivery, as Service Bus counts it). */
  expiredLocks = 0;
  private nextSequenceNumber = 1;
  private readonly available: StoredMessage[] = [];
  private readonly locked = new Map<string, StoredMessage>();
  private readonly scheduled = new Map<number, StoredMessage>();
  private readonly duplicates: DuplicateDetector;

  constructor(
    readonly spec: QueueSpec,
    private readonly clock: Clock,
    /** Where dead-lettered messages go; absent for a dead-letter queue itself. */
    private readonly deadLetterQueue?: QueueStore,
  ) {
    this.duplicates = new DuplicateDetector(spec.duplicateDetectionWindowSeconds);
  }

  /** Accepts a sent message. Returns its sequence number, or undefined for a dropped duplicate. */
  enqueue(amqp: Message): number | undefined {
    const now = this.clock.now();
    if (this.duplicates.isDuplicate(amqp.message_id, now)) return undefined;
    // The service gives every message an id; the SDK's lock renewal keys on it.
    amqp.message_id ??= randomUUID().replace(/-/g, '');
    const scheduled = readScheduledTime(amqp);
    const scheduledFor = scheduled && scheduled.getTime() > now.getTime() ? scheduled : undefined;
    // A scheduled message counts as enqueued (and its time-to-live starts) when it becomes active.
    const message: StoredMessage = {
      sequenceNumber: this.nextSequenceNumber++,
      amqp,
      enqueuedAt: scheduledFor ?? now,
      deliveryCount: 0,
    };
    if (scheduledFor) {
      message.scheduledFor = scheduledFor;
      this.scheduled.set(message.sequenceNumber, message);
    } else {
      this.insertAvailable(message);
    }
    return message.sequenceNumber;
  }

  /** Cancels a scheduled message; unknown sequence numbers are ignored, as the service does. */
  cancelScheduled(sequenceNumber: number): void {
    this.scheduled.delete(sequenceNumber);
  }

  /** Takes the next available message, locking it (peek-lock) or removing it (receive-and-delete). */
  takeNext(lock: boolean): StoredMessage | undefined {
    const now = this.clock.now().getTime();
    let message = this.available.shift();
    while (message && this.isExpired(message, now)) message = this.available.shift();
    if (!message || !lock) return message;
    message.lock = { token: randomUUID(), until: this.lockExpiry() };
    this.locked.set(message.lock.token, message);
    return message;
  }

  hasAvailable(): boolean {
    return this.available.length > 0;
  }

  /** Removes a locked message for good. False when the lock was lost (expired or settled). */
  complete(lockToken: string): boolean {
    return this.unlock(lockToken) !== undefined;
  }

  /** Releases the lock; the delivery counts as failed, so the message may reach the dead-letter queue. */
  abandon(lockToken: string, propertiesToModify?: Record<string, unknown>): boolean {
    const message = this.unlock(lockToken);
    if (!message) return false;
    modifyProperties(message, propertiesToModify);
    this.failDelivery(message);
    return true;
  }

  deadLetter(lockToken: string, reason?: string, description?: string, properties?: Record<string, unknown>): boolean {
    const message = this.unlock(lockToken);
    if (!message) return false;
    modifyProperties(message, properties);
    this.moveToDeadLetter(message, reason, description);
    return true;
  }

  /** Extends a lock by the queue's lock duration; undefined when the lock is already lost. */
  renewLock(lockToken: string): Date | undefined {
    const message = this.locked.get(lockToken);
    if (!message?.lock) return undefined;
    message.lock.until = this.lockExpiry();
    return message.lock.until;
  }

  /** Every message still in the queue (available, locked or scheduled) from a sequence number on. */
  peek(fromSequenceNumber: number, count: number): StoredMessage[] {
    return [...this.available, ...this.locked.values(), ...this.scheduled.values()]
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber)
      .slice(0, count);
  }

  /** Applies the passage of time. Returns true when messages became available. */
  tick(): boolean {
    const now = this.clock.now().getTime();
    let changed = false;
    for (const message of [...this.locked.values()]) {
      if (message.lock && message.lock.until.getTime() <= now) {
        this.expiredLocks += 1;
        this.unlock(message.lock.token);
        this.failDelivery(message);
        changed = true;
      }
    }
    for (const message of [...this.scheduled.values()]) {
      if (message.scheduledFor && message.scheduledFor.getTime() <= now) {
        this.scheduled.delete(message.sequenceNumber);
        delete message.scheduledFor;
        this.insertAvailable(message);
        changed = true;
      }
    }
    this.duplicates.forgetBefore(this.clock.now());
    const before = this.available.length;
    this.available.splice(0, this.available.length, ...this.available.filter((m) => !this.isExpired(m, now)));
    return changed || this.available.length !== before;
  }

  /** Accepts a message dead-lettered from the parent queue, keeping its identity and counts. */
  acceptDeadLettered(message: StoredMessage): void {
    this.insertAvailable(message);
  }

  private failDelivery(message: StoredMessage): void {
    message.deliveryCount += 1;
    if (this.deadLetterQueue && message.deliveryCount >= this.spec.maxDeliveryCount) {
      this.moveToDeadLetter(
        message,
        'MaxDeliveryCountExceeded',
        'Message could not be consumed after ' + `${this.spec.maxDeliveryCount} delivery attempts.`,
      );
    } else {
      this.insertAvailable(message);
    }
  }

  private moveToDeadLetter(message: StoredMessage, reason?: string, description?: string): void {
    if (!this.deadLetterQueue) {
      this.insertAvailable(message);
      return;
    }
    const extra: Record<string, unknown> = {};
    if (reason !== undefined) extra.DeadLetterReason = reason;
    if (description !== undefined) extra.DeadLetterErrorDescription = description;
    modifyProperties(message, extra);
    this.deadLetterQueue.acceptDeadLettered(message);
  }

  private unlock(lockToken: string): StoredMessage | undefined {
    const message = this.locked.get(lockToken);
    if (!message) return undefined;
    this.locked.delete(lockToken);
    delete message.lock;
    return message;
  }

  private insertAvailable(message: StoredMessage): void {
    const last = this.available[this.available.length - 1];
    if (!last || last.sequenceNumber < message.sequenceNumber) {
      this.available.push(message); // the common case, a new message, stays O(1)
      return;
    }
    const index = this.available.findIndex((m) => m.sequenceNumber > message.sequenceNumber);
    this.available.splice(index === -1 ? this.available.length : index, 0, message);
  }

  /** Time-to-live applies in the queue only: nothing expires out of a dead-letter queue. */
  private isExpired(message: StoredMessage, now: number): boolean {
    if (!this.deadLetterQueue) return false;
    const ttl: unknown = message.amqp.ttl;
    return typeof ttl === 'number' && ttl > 0 && message.enqueuedAt.getTime() + ttl <= now;
  }

  private lockExpiry(): Date {
    return new Date(this.clock.now().getTime() + this.spec.lockDurationSeconds * 1000);
  }
}

function readScheduledTime(amqp: Message): Date | undefined {
  const annotations = amqp.message_annotations as Record<string, unknown> | undefined;
  const value = annotations?.[SCHEDULED_ENQUEUE_TIME];
  if (value instanceof Date) return value;
  return typeof value === 'number' ? new Date(value) : undefined;
}

/** Settlement may carry properties to modify; Service Bus merges them into the application properties. */
function modifyProperties(message: StoredMessage, properties: Record<string, unknown> | undefined): void {
  if (!properties || Object.keys(properties).length === 0) return;
  const current = (message.amqp.application_properties ?? {}) as Record<string, unknown>;
  message.amqp.application_properties = { ...current, ...properties };
}
