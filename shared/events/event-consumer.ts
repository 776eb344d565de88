import { MalformedMessageError, parseMessage } from '../runtime/malformed-message';
import { eventEnvelopeSchema, type EventEnvelope } from './event-envelope';
import { events, type EventData, type EventType } from './event-catalog';

/** Application property a dead-letter replay sets on a topic copy meant for one subscription only. */
export const REPLAY_FOR_PROPERTY = 'keywardReplayFor';

export type ConsumedEvent<T extends EventType> = { [K in T]: EventEnvelope<EventData<K>> & { readonly type: K } }[T];

const isEventType = (type: string): type is EventType => Object.hasOwn(events, type);

/**
 * Parses a topic message for one subscription. Null when the event is not for this consumer: a type it does not
 * handle (a topic carries several), or a replayed copy meant for another subscription. A malformed envelope, an
 * unknown type or version, or data that fails its schema throws MalformedMessageError (dead-lettered, never
 * dropped).
 */
export function parseEvent<T extends EventType>(
  raw: unknown,
  handled: readonly T[],
  subscription: string,
  applicationProperties: Readonly<Record<string, unknown>> = {},
): ConsumedEvent<T> | null {
  const replayFor = applicationProperties[REPLAY_FOR_PROPERTY];
  if (typeof replayFor === 'string' && replayFor.toLowerCase() !== subscription.toLowerCase()) return null;
  const envelope = parseMessage(eventEnvelopeSchema, raw, 'event');
  const { type } = envelope;
  if (!isEventType(type)) throw new MalformedMessageError('event', 'type: unknown event type');
  if (!(handled as readonly EventType[]).includes(type)) return null;
  const spec = events[type];
  if (envelope.version !== spec.version) throw new MalformedMessageError(type, 'version: unsupported version');
  const data = parseMessage(spec.schema, envelope.data, type);
  return { ...envelope, type, data } as ConsumedEvent<T>;
}
