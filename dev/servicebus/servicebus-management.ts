import { message as amqpMessage, types, type Message } from 'rhea';
import { decodeMessage, lockTokenFromUuid, readLong, toOutgoingMessage } from './servicebus-message';
import { wrongEntity, type ResolvedAddress, type SendTarget } from './servicebus-broker';
import type { QueueStore } from './servicebus-queue';

/** The `$management` operations the SDK's ManagementClient sends (request encodings read from its source). */
export const OPERATIONS = {
  renewLock: 'com.microsoft:renew-lock',
  scheduleMessage: 'com.microsoft:schedule-message',
  cancelScheduledMessage: 'com.microsoft:cancel-scheduled-message',
  peekMessage: 'com.microsoft:peek-message',
  updateDisposition: 'com.microsoft:update-disposition',
} as const;

interface Outcome {
  readonly status: number;
  readonly body?: Record<string, unknown>;
  readonly condition?: string;
  readonly description?: string;
}

type Body = Record<string, unknown>;

const LOCK_LOST: Outcome = {
  status: 410,
  condition: 'com.microsoft:message-lock-lost',
  description:
    'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
};

/**
 * Answers one request on an entity's `$management` node. The reply carries `statusCode` (the SDK's peek
 * reads exactly that key) and, for failures, the AMQP error condition the SDK turns into its error code.
 */
export function answerManagementRequest(entity: ResolvedAddress, request: Message): Message {
  const operation = (request.application_properties as Body | undefined)?.operation;
  const body = (request.body ?? {}) as Body;
  const outcome = run(entity, String(operation), body);
  const properties: Body = { statusCode: outcome.status, statusDescription: outcome.description ?? 'OK' };
  if (outcome.condition) properties.errorCondition = outcome.condition;
  return {
    correlation_id: request.message_id,
    application_properties: properties,
    body: outcome.body ?? {},
  } as Message;
}

/** CBS `put-token` always succeeds: the emulator, like the official one, does not check the SAS token. */
export function answerCbsRequest(request: Message): Message {
  return {
    correlation_id: request.message_id,
    application_properties: { 'status-code': 200, 'status-description': 'OK' },
  } as unknown as Message;
}

/** Scheduling needs an entity that takes sends (queue, topic); locks, peek and settlement one that is received from. */
function run(entity: ResolvedAddress, operation: string, body: Body): Outcome {
  const { sendTo, receiveFrom } = entity;
  switch (operation) {
    case OPERATIONS.scheduleMessage:
      return sendTo ? schedule(sendTo, body) : refused(entity, 'send');
    case OPERATIONS.cancelScheduledMessage:
      if (!sendTo) return refused(entity, 'send');
      for (const value of asArray(body['sequence-numbers'])) {
        const sequenceNumber = readLong(value);
        if (sequenceNumber !== undefined) sendTo.cancelScheduled(sequenceNumber);
      }
      return { status: 200 };
    case OPERATIONS.renewLock:
      return receiveFrom ? renewLocks(receiveFrom, body) : refused(entity, 'receive');
    case OPERATIONS.peekMessage:
      return receiveFrom ? peek(receiveFrom, body) : refused(entity, 'receive');
    case OPERATIONS.updateDisposition:
      return receiveFrom ? updateDisposition(receiveFrom, body) : refused(entity, 'receive');
    default:
      return {
        status: 501,
        condition: 'amqp:not-implemented',
        description: `Operation ${operation} is not supported by the emulator.`,
      };
  }
}

function renewLocks(store: QueueStore, body: Body): Outcome {
  const expirations: Date[] = [];
  for (const value of asArray(body['lock-tokens'])) {
    const token = lockTokenFromUuid(value);
    const until = token === undefined ? undefined : store.renewLock(token);
    if (!until) return LOCK_LOST;
    expirations.push(until);
  }
  return { status: 200, body: { expirations } };
}

function schedule(store: SendTarget, body: Body): Outcome {
  const sequenceNumbers: number[] = [];
  for (const entry of asArray(body.messages)) {
    const encoded = (entry as Body | undefined)?.message;
    if (!Buffer.isBuffer(encoded)) return notAllowed('Each scheduled entry must carry an encoded message.');
    // A duplicate is accepted and dropped, as on send; it gets no sequence number of its own.
    sequenceNumbers.push(store.enqueue(decodeMessage(encoded)) ?? 0);
  }
  return { status: 200, body: { 'sequence-numbers': types.wrap_array(sequenceNumbers, 0x81, undefined) } };
}

function peek(store: QueueStore, body: Body): Outcome {
  const from = readLong(body['from-sequence-number']) ?? 1;
  const count = typeof body['message-count'] === 'number' ? body['message-count'] : 1;
  const messages = store.peek(from, count).map((m) => ({ message: amqpMessage.encode(toOutgoingMessage(m)) }));
  if (messages.length === 0) return { status: 204, description: 'No messages to peek.' };
  return { status: 200, body: { messages } };
}

/** The SDK settles through `$management` when the receiving link is gone (the lock survives the link). */
function updateDisposition(store: QueueStore, body: Body): Outcome {
  const status = body['disposition-status'];
  const properties = (body['properties-to-modify'] ?? undefined) as Body | undefined;
  for (const value of asArray(body['lock-tokens'])) {
    const token = lockTokenFromUuid(value);
    if (token === undefined) return LOCK_LOST;
    const settled =
      status === 'completed'
        ? store.complete(token)
        : status === 'abandoned'
          ? store.abandon(token, properties)
          : status === 'suspended'
            ? store.deadLetter(
                token,
                optionalString(body['deadletter-reason']),
                optionalString(body['deadletter-description']),
                properties,
              )
            : undefined;
    if (settled === undefined) return notAllowed(`Disposition ${String(status)} is not supported by the emulator.`);
    if (!settled) return LOCK_LOST;
  }
  return { status: 200 };
}

function notAllowed(description: string): Outcome {
  return { status: 400, condition: 'amqp:not-allowed', description };
}

function refused(entity: ResolvedAddress, attempted: 'send' | 'receive'): Outcome {
  return { status: 400, ...wrongEntity(entity, attempted) };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
