import { createRequire } from 'node:module';
import type {
  PeekMessagesOptions,
  ServiceBusClient,
  ServiceBusReceivedMessage,
  ServiceBusReceiver,
  ServiceBusReceiverOptions,
  ServiceBusSender,
} from '@azure/service-bus';
import type { QueueSpec } from '../config/queues';
import type { TopicSpec } from '../config/topics';
import { messageIdText, replayCopy } from './dead-letter-copy';
import { deadLetterEntities, resolveDeadLetterEntity, type DeadLetterEntity } from './dead-letter-entities';
import type { DeadLetterEntityView, DeadLetterList, DeadLetterMessage } from './dead-letter-types';
import type { MalformedDiagnosis, MalformedStore } from './malformed-store';

export interface DeadLetterServiceDeps {
  /** The process's ServiceBusClient, created on first use (runtime.serviceBus). */
  readonly serviceBus: () => ServiceBusClient;
  readonly queues: readonly QueueSpec[];
  readonly topics: readonly TopicSpec[];
  /** Why the app refused messages as malformed (the broker only knows it ran out of deliveries). */
  readonly malformed?: Pick<MalformedStore, 'find'>;
}

/** What a replay did, by message id (the original's), for the caller's audit entry. */
export interface ReplayOutcome {
  readonly entity: DeadLetterEntity;
  /** Copies sent, originals completed. */
  readonly replayedIds: readonly string[];
  /** Taken but left in the dead-letter queue, because a send (or completion) failed. */
  readonly skippedIds: readonly string[];
  /** The Service Bus error code that stopped the replay, if one did. */
  readonly failure?: string;
}

export interface ReplayRequest {
  readonly queue: string;
  readonly subscription?: string | undefined;
  readonly max: number;
}

/** Newest dead letters listed per entity. */
export const NEWEST_LISTED = 20;
/** How many dead letters a count peeks through before it reports "at least". */
export const COUNT_LIMIT = 1000;
const PEEK_PAGE = 100;
/** How long a replay waits for a peeked message to be handed over before it takes what it has. */
const RECEIVE_WAIT_MS = 5000;

type SequenceNumber = NonNullable<PeekMessagesOptions['fromSequenceNumber']>;

/**
 * Sequence number 1 as the SDK's `Long`, from the `long` package the SDK itself loads. Peeks always name where they
 * start: without it the SDK continues from the last message peeked on the entity by any receiver of the client
 * (its management link keeps one cursor per entity), so a second listing, or two at once, would see nothing.
 */
let first: SequenceNumber | undefined;
function firstSequenceNumber(): SequenceNumber {
  if (!first) {
    const sdkRequire = createRequire(require.resolve('@azure/service-bus'));
    first = (sdkRequire('long') as { fromNumber(value: number): SequenceNumber }).fromNumber(1);
  }
  return first;
}

const cut = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);

/** The error's Service Bus code (ServiceBusError.code) or class name: a fixed vocabulary, never a message body. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code) return cut(code, 100);
  return error instanceof Error ? cut(error.name, 100) : 'Error';
}

/** Metadata of a dead letter; the body is never read out, so no secret a message carries can reach a response. */
function summarize(message: ServiceBusReceivedMessage): DeadLetterMessage {
  const text = (value: unknown, max: number): string | undefined =>
    typeof value === 'string' || typeof value === 'number' ? cut(String(value), max) : undefined;
  const correlationId = text(message.correlationId, 128);
  const subject = text(message.subject, 128);
  return {
    messageId: cut(messageIdText(message.messageId), 128),
    reason: text(message.deadLetterReason, 200) ?? null,
    description: text(message.deadLetterErrorDescription, 500) ?? null,
    enqueuedAt: message.enqueuedTimeUtc?.toISOString() ?? null,
    deliveryCount: message.deliveryCount ?? 0,
    ...(correlationId !== undefined ? { correlationId } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

/**
 * Dead letters of every declared queue and subscription: listed by peeking (nothing changes), and replayed by
 * sending a copy back to the queue or topic before the dead letter is completed.
 */
/** A message the app refused as malformed reads as such, with the schema issues, and keeps the broker's reason. */
function withDiagnosis(message: DeadLetterMessage, diagnosis: MalformedDiagnosis | undefined): DeadLetterMessage {
  if (!diagnosis) return message;
  const broker = message.reason ? ` (Service Bus: ${message.reason})` : '';
  return { ...message, reason: 'malformed', description: `${diagnosis.issues}${broker}`.slice(0, 500) };
}

export function createDeadLetterService(deps: DeadLetterServiceDeps) {
  const deadLetterReceiver = (entity: DeadLetterEntity, options: ServiceBusReceiverOptions): ServiceBusReceiver => {
    const client = deps.serviceBus();
    const subQueue = { ...options, subQueueType: 'deadLetter' } as const;
    return entity.kind === 'queue'
      ? client.createReceiver(entity.queue, subQueue)
      : client.createReceiver(entity.queue, entity.subscription, subQueue);
  };

  /** Peeks through an entity's dead letters (bounded), keeping the count and the newest few. */
  async function inspect(entity: DeadLetterEntity): Promise<DeadLetterEntityView> {
    const name =
      entity.kind === 'queue' ? { queue: entity.queue } : { queue: entity.queue, subscription: entity.subscription };
    const receiver = deadLetterReceiver(entity, { skipParsingBodyAsJson: true });
    try {
      let count = 0;
      let newest: ServiceBusReceivedMessage[] = [];
      let from = firstSequenceNumber();
      while (count < COUNT_LIMIT) {
        const page = await receiver.peekMessages(Math.min(PEEK_PAGE, COUNT_LIMIT - count), {
          fromSequenceNumber: from,
        });
        const last = page[page.length - 1]?.sequenceNumber;
        if (!last) break;
        count += page.length;
        newest = [...newest, ...page].slice(-NEWEST_LISTED);
        from = last.add(1);
      }
      const countIsLowerBound =
        count >= COUNT_LIMIT && (await receiver.peekMessages(1, { fromSequenceNumber: from })).length > 0;
      const path = entity.kind === 'queue' ? entity.queue : `${entity.queue}/subscriptions/${entity.subscription}`;
      const diagnoses = await deps.malformed?.find(
        path,
        newest.map((m) => messageIdText(m.messageId)),
      );
      const messages = newest
        .reverse()
        .map((m) => withDiagnosis(summarize(m), diagnoses?.get(messageIdText(m.messageId))));
      return { ...name, count, countIsLowerBound, messages };
    } catch (error) {
      // One unreadable entity (missing, or Service Bus unreachable) must not hide the others' dead letters.
      return { ...name, count: 0, countIsLowerBound: false, messages: [], error: errorCode(error) };
    } finally {
      await receiver.close().catch(() => undefined);
    }
  }

  /** Takes (peek-locks) up to `max` dead letters; a peek first, so an empty queue answers without waiting. */
  async function take(receiver: ServiceBusReceiver, max: number): Promise<ServiceBusReceivedMessage[]> {
    const waiting = (await receiver.peekMessages(max, { fromSequenceNumber: firstSequenceNumber() })).length;
    const taken: ServiceBusReceivedMessage[] = [];
    while (taken.length < waiting) {
      const batch = await receiver.receiveMessages(waiting - taken.length, { maxWaitTimeInMs: RECEIVE_WAIT_MS });
      // Nothing more handed over: the rest are locked by another replay, or were taken meanwhile.
      if (batch.length === 0) break;
      taken.push(...batch);
    }
    return taken;
  }

  /**
   * Sends each copy, then completes its dead letter: a crash in between leaves the dead letter, and the next
   * replay's copy has the same message id, which the broker drops as a duplicate. After a failure the remaining
   * messages are abandoned (they stay dead-lettered) rather than tried against a failing broker.
   */
  async function sendBack(
    entity: DeadLetterEntity,
    receiver: ServiceBusReceiver,
    sender: ServiceBusSender,
    taken: readonly ServiceBusReceivedMessage[],
  ): Promise<ReplayOutcome> {
    const replayedIds: string[] = [];
    const skippedIds: string[] = [];
    let failure: string | undefined;
    // The lock lapses by itself if an abandon fails; the message stays dead-lettered either way.
    const release = (message: ServiceBusReceivedMessage): Promise<void> =>
      receiver.abandonMessage(message).catch(() => undefined);
    for (const message of taken) {
      const id = messageIdText(message.messageId);
      if (failure !== undefined) {
        skippedIds.push(id);
        await release(message);
        continue;
      }
      try {
        await sender.sendMessages(
          replayCopy(message, entity.kind === 'subscription' ? entity.subscription : undefined),
        );
        await receiver.completeMessage(message);
        replayedIds.push(id);
      } catch (error) {
        failure = errorCode(error);
        skippedIds.push(id);
        await release(message);
      }
    }
    return { entity, replayedIds, skippedIds, ...(failure !== undefined ? { failure } : {}) };
  }

  return {
    async list(): Promise<DeadLetterList> {
      return { entities: await Promise.all(deadLetterEntities(deps.queues, deps.topics).map(inspect)) };
    },

    /** Replays up to `max` dead letters of a declared queue, or of a topic's subscription (copy sent to the topic). */
    async replay(request: ReplayRequest): Promise<ReplayOutcome> {
      const entity = resolveDeadLetterEntity(deps.queues, deps.topics, request);
      const receiver = deadLetterReceiver(entity, { receiveMode: 'peekLock', skipParsingBodyAsJson: true });
      const sender = deps.serviceBus().createSender(entity.queue);
      try {
        return await sendBack(entity, receiver, sender, await take(receiver, request.max));
      } finally {
        await Promise.all([receiver.close().catch(() => undefined), sender.close().catch(() => undefined)]);
      }
    },
  };
}

export type DeadLetterService = ReturnType<typeof createDeadLetterService>;
