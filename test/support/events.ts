import { ServiceBusClient } from '@azure/service-bus';
import { topics } from '../../shared/config/topics';
import { events, type EventData, type EventType } from '../../shared/events/event-catalog';

/**
 * Publishes a domain event the way a producer does (envelope, topic from the catalogue, messageId = event id,
 * correlationId), through the real SDK, for tests that start a consumer without running its producer.
 */
export async function publishEvent<T extends EventType>(
  connectionString: string,
  type: T,
  id: string,
  data: EventData<T>,
  correlationId = 'test-correlation',
  occurredAt = new Date(),
): Promise<void> {
  const spec = events[type];
  const bus = new ServiceBusClient(connectionString);
  try {
    await bus.createSender(topics[spec.topic].name).sendMessages({
      messageId: id,
      correlationId,
      subject: type,
      contentType: 'application/json',
      applicationProperties: { correlationId },
      body: { type, id, version: spec.version, occurredAt: occurredAt.toISOString(), correlationId, data },
    });
  } finally {
    await bus.close();
  }
}
