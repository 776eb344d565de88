import { message as amqpMessage, string_to_uuid, types, uuid_to_string, type Message } from 'rhea';
import type { StoredMessage } from './servicebus-queue';

/** Message format of an SDK batch: one AMQP message whose data sections each hold an encoded message. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

/** Service Bus message states in `x-opt-message-state` (the SDK maps 2 to "scheduled"). */
const MESSAGE_STATE = { active: 0, scheduled: 2 } as const;

interface DataSections {
  readonly typecode: number;
  readonly multiple?: boolean;
  readonly content: unknown;
}

/**
 * The messages one transfer carries: itself, or every message packed in an SDK batch (rhea hands
 * over a transfer with a non-zero message format undecoded).
 */
export function unpackMessages(message: Message | Buffer, format: number): Message[] {
  if (format !== BATCH_MESSAGE_FORMAT) return Buffer.isBuffer(message) ? [decodeMessage(message)] : [message];
  const envelope = Buffer.isBuffer(message) ? decodeMessage(message) : message;
  const body = envelope.body as DataSections | undefined;
  if (!body) return [];
  const sections = body.multiple ? (body.content as unknown[]) : [body.content];
  return sections.filter((s): s is Buffer => Buffer.isBuffer(s)).map(decodeMessage);
}

export function decodeMessage(encoded: Buffer): Message {
  return amqpMessage.decode(encoded) as unknown as Message;
}

/** The attach frame this side sends; rhea exposes it but its typings do not. */
export function localAttach(link: object): Record<string, unknown> {
  return (link as { local: { attach: Record<string, unknown> } }).local.attach;
}

/** The message as a receiver or a peek sees it: the sent message plus the broker's annotations. */
export function toOutgoingMessage(stored: StoredMessage): Message {
  const annotations: Record<string, unknown> = {
    ...(stored.amqp.message_annotations as Record<string, unknown> | undefined),
    'x-opt-sequence-number': types.wrap_long(stored.sequenceNumber),
    'x-opt-enqueued-time': stored.enqueuedAt,
    'x-opt-message-state': types.wrap_int(stored.scheduledFor ? MESSAGE_STATE.scheduled : MESSAGE_STATE.active),
  };
  if (stored.lock) annotations['x-opt-locked-until'] = stored.lock.until;
  return { ...stored.amqp, delivery_count: stored.deliveryCount, message_annotations: annotations } as Message;
}

/**
 * Service Bus sends the lock token as the delivery tag in .NET GUID byte order; the SDK swaps the
 * first three groups back before printing it, and sends the plain RFC 4122 bytes on `$management`.
 */
export function lockTokenToDeliveryTag(lockToken: string): Buffer {
  return swapGuidByteOrder(Buffer.from(string_to_uuid(lockToken)));
}

/** A lock token as it arrives in `$management` requests (an AMQP uuid) or in a delivery tag. */
export function lockTokenFromUuid(value: unknown): string | undefined {
  return Buffer.isBuffer(value) && value.length === 16 ? uuid_to_string(value) : undefined;
}

export function lockTokenFromDeliveryTag(tag: Buffer | string): string | undefined {
  return typeof tag === 'string' ? undefined : lockTokenFromUuid(swapGuidByteOrder(tag));
}

function swapGuidByteOrder(bytes: Buffer): Buffer {
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => bytes[i] ?? 0));
}

/** Reads an AMQP long as rhea decodes it (a number, or 8 big-endian bytes for large values). */
export function readLong(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value) && value.length === 8) return Number(value.readBigInt64BE(0));
  return undefined;
}

type OutcomeName = 'accepted' | 'released' | 'modified' | 'rejected';
const outcomes = amqpMessage as unknown as Record<OutcomeName, (fields?: object) => { described(): unknown }>;

/** The rejected outcome that settles a delivery with an error condition the SDK turns into its error. */
export function rejectedOutcome(condition: string, description: string): unknown {
  return outcomes.rejected({ error: { condition, description } }).described();
}

/** Settles with the outcome the client asked for, minus any error: the SDK reads an error as failure. */
export function settledOutcome(name: OutcomeName): unknown {
  return outcomes[name]({}).described();
}
