import type { ServiceBusClient, ServiceBusMessage, ServiceBusSender } from '@azure/service-bus';
import { currentCorrelationId } from './correlation';

/** A message for a Service Bus queue or topic; `messageId` lets the broker drop duplicates. */
export interface OutboundMessage {
  readonly messageId: string;
  readonly body: unknown;
  /** The event type, for a topic message (Service Bus `subject`). */
  readonly subject?: string;
}

/** Sends messages to a queue or topic by name. */
export type SendMessages = (entity: string, messages: readonly OutboundMessage[]) => Promise<void>;

/** Extra application properties for every message (trace context); none by default. */
export type MessageProperties = () => Readonly<Record<string, string>>;

/**
 * The one way the app sends to Service Bus: the SDK sender (the output binding cannot set messageId), one sender
 * per entity, as few batches as fit. Every message carries the invocation's correlation id as Service Bus
 * `correlationId` and as an application property, so the consumer's invocation runs under the same id.
 */
export function createMessageSender(
  serviceBus: () => ServiceBusClient,
  properties: MessageProperties = () => ({}),
): SendMessages {
  const senders = new Map<string, ServiceBusSender>();
  return async (entity, messages) => {
    let sender = senders.get(entity);
    if (!sender) {
      sender = serviceBus().createSender(entity);
      senders.set(entity, sender);
    }
    const correlationId = currentCorrelationId();
    const shared = { ...properties(), ...(correlationId ? { correlationId } : {}) };
    let batch = await sender.createMessageBatch();
    for (const m of messages) {
      const message: ServiceBusMessage = {
        messageId: m.messageId,
        body: m.body,
        contentType: 'application/json',
        ...(correlationId ? { correlationId } : {}),
        ...(m.subject ? { subject: m.subject } : {}),
        applicationProperties: shared,
      };
      if (batch.tryAddMessage(message)) continue;
      await sender.sendMessages(batch);
      batch = await sender.createMessageBatch();
      if (!batch.tryAddMessage(message)) throw new Error(`message ${m.messageId} is larger than a batch`);
    }
    if (batch.count > 0) await sender.sendMessages(batch);
  };
}
