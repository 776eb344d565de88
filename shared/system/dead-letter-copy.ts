import { createHash } from 'node:crypto';
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
// The topic fans a replayed copy out to every subscription; consumers of the others drop it by this property.
import { REPLAY_FOR_PROPERTY } from '../events/event-consumer';

/** The SDK's raw AMQP message shape (its package does not export the type by name); sendMessages takes it. */
type AmqpAnnotatedMessage = ServiceBusReceivedMessage['_rawAmqpMessage'];

/** Suffix of a replayed copy's message id. */
export const REPLAY_SUFFIX = '~replay';

/** Properties Service Bus sets when it dead-letters a message; they describe the original, not the copy. */
const DEAD_LETTER_PROPERTIES: readonly string[] = ['DeadLetterReason', 'DeadLetterErrorDescription'];

const MAX_MESSAGE_ID = 128;

/** A message id as text, whatever type the sender gave it (Service Bus allows string, number or bytes). */
export function messageIdText(id: ServiceBusReceivedMessage['messageId']): string {
  if (id === undefined) return '';
  if (Buffer.isBuffer(id)) return id.toString('hex');
  return String(id);
}

/**
 * The copy's message id: fixed for a given original, so a second replay of the same dead letter (after a crash
 * between the send and the completion) is a duplicate the broker drops inside its window. The original id itself
 * would be dropped too, since the queue saw it. Past Service Bus's 128 characters, the id is hashed instead.
 */
export function replayMessageId(original: string): string {
  const id = `${original}${REPLAY_SUFFIX}`;
  return id.length <= MAX_MESSAGE_ID ? id : `${createHash('sha256').update(original).digest('hex')}${REPLAY_SUFFIX}`;
}

/**
 * The message a replay sends back: the original's body, content type, correlation id, subject and application
 * properties, less the dead-letter ones. Received with `skipParsingBodyAsJson`, a data body is the original bytes,
 * and the AMQP body type is kept, so the copy's body is the original's exactly. Broker state (sequence number,
 * delivery count, lock, enqueued time) is not copied: the copy is a new message.
 */
export function replayCopy(message: ServiceBusReceivedMessage, subscription?: string): AmqpAnnotatedMessage {
  const properties: Record<string, number | boolean | string | Date | null> = {};
  for (const [name, value] of Object.entries(message.applicationProperties ?? {})) {
    if (!DEAD_LETTER_PROPERTIES.includes(name)) properties[name] = value;
  }
  if (subscription !== undefined) properties[REPLAY_FOR_PROPERTY] = subscription;
  return {
    body: message.body as unknown,
    bodyType: message._rawAmqpMessage.bodyType ?? 'data',
    properties: {
      messageId: replayMessageId(messageIdText(message.messageId)),
      ...(message.contentType !== undefined ? { contentType: message.contentType } : {}),
      ...(message.correlationId !== undefined ? { correlationId: message.correlationId } : {}),
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
    },
    applicationProperties: properties,
  };
}
