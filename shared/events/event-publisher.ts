import { topics } from '../config/topics';
import { currentCorrelationId } from '../runtime/correlation';
import type { SendMessages } from '../runtime/message-sender';
import type { Clock } from '../time/clock';
import type { EventEnvelope } from './event-envelope';
import { events, type EventData, type EventType } from './event-catalog';

export type PublishEvent = <T extends EventType>(type: T, id: string, data: EventData<T>) => Promise<void>;

/**
 * Publishes a domain event to its topic in the one envelope. `id` must be stable for the same happening (the
 * scan id for its completion, scan + vault for a vault's failure, the alert's dedup key), so a producer that
 * repeats after a crash publishes a duplicate the topic drops. The data is parsed with the catalogue's schema
 * first: a producer cannot send what consumers would refuse.
 */
export function createEventPublisher(deps: { readonly send: SendMessages; readonly clock: Clock }): PublishEvent {
  return async (type, id, data) => {
    const spec = events[type];
    const envelope: EventEnvelope = {
      type,
      id,
      version: spec.version,
      occurredAt: deps.clock.now().toISOString(),
      correlationId: currentCorrelationId() ?? '',
      data: spec.schema.parse(data),
    };
    await deps.send(topics[spec.topic].name, [{ messageId: id, body: envelope, subject: type }]);
  };
}
