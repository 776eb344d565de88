import type { Connection, Container, Delivery, EventContext, Message, Receiver, Sender } from 'rhea';
import { wrongEntity, type AmqpError, type Broker } from './servicebus-broker';
import { answerCbsRequest, answerManagementRequest } from './servicebus-management';
import {
  localAttach,
  lockTokenFromDeliveryTag,
  rejectedOutcome,
  settledOutcome,
  unpackMessages,
} from './servicebus-message';
import type { QueueStore } from './servicebus-queue';

const CBS = '$cbs';

type Log = (message: string) => void;

/**
 * Wires the AMQP side: link attach (queue, topic, subscription, dead-letter queue, `$management`, `$cbs`),
 * messages the SDK sends, and the outcomes it returns for peek-locked deliveries. A client sender is a server
 * receiver and vice versa, hence the inverted event names.
 */
export function handleLinks(
  container: Container,
  broker: Broker,
  log: Log,
  onDuplicate: (entity: string, messageId: string) => void = () => undefined,
): void {
  container.on('receiver_open', (context: EventContext) => {
    const link = context.receiver;
    if (!link) return;
    const address = link.target?.address;
    if (address === CBS) return;
    const resolved = broker.resolve(address);
    if (!resolved) return refuse(link, notFound(address));
    if (!resolved.management && !resolved.sendTo) return refuse(link, wrongEntity(resolved, 'send'));
    // The SDK sizes message batches by the max-message-size of this attach (Standard tier: 256 KB).
    localAttach(link).max_message_size = 262144;
  });

  container.on('sender_open', (context: EventContext) => {
    const link = context.sender;
    if (!link) return;
    const address = link.source?.address;
    if (address === CBS) return;
    const resolved = broker.resolve(address);
    if (!resolved) return refuse(link, notFound(address));
    if (resolved.management) return;
    if (!resolved.receiveFrom) return refuse(link, wrongEntity(resolved, 'receive'));
    // receiveAndDelete attaches with snd-settle-mode "settled": deliveries go out pre-settled.
    localAttach(link).snd_settle_mode = link.snd_settle_mode;
    localAttach(link).rcv_settle_mode = link.rcv_settle_mode;
    broker.addConsumer(resolved.receiveFrom, link, link.snd_settle_mode !== 1);
    log(`receiver attached to ${String(address)}`);
  });

  container.on('sendable', (context: EventContext) => pumpFor(broker, context.sender));
  container.on('sender_draining', (context: EventContext) => {
    pumpFor(broker, context.sender);
    context.sender?.set_drained(true);
  });

  container.on('message', (context: EventContext) => {
    const { receiver, delivery, message, connection } = context;
    if (!receiver || !delivery || !message) return;
    const address = receiver.target?.address;
    const resolved = broker.resolve(address);
    if (address !== CBS && !resolved) return delivery.reject(notFound(address));
    delivery.accept();
    if (address === CBS) return reply(connection, CBS, message, answerCbsRequest(message));
    if (!resolved) return;
    if (resolved.management) {
      reply(connection, String(address), message, answerManagementRequest(resolved, message));
    } else {
      // Only a link to an entity that takes sends was attached (see receiver_open).
      for (const each of unpackMessages(message as Message | Buffer, delivery.format)) {
        // Accepted, then dropped as Service Bus does; recorded so a test can see the drop instead of waiting.
        if (resolved.sendTo && resolved.sendTo.enqueue(each) === undefined) {
          onDuplicate(String(address), String(each.message_id));
        }
      }
    }
    broker.pumpAll();
  });

  container.on('accepted', (context: EventContext) =>
    settle(broker, context, 'accepted', (store, token) => store.complete(token)),
  );
  container.on('released', (context: EventContext) =>
    settle(broker, context, 'released', (store, token) => store.abandon(token)),
  );
  container.on('modified', (context: EventContext) => {
    const state = context.delivery?.remote_state as
      { undeliverable_here?: boolean; message_annotations?: Record<string, unknown> } | undefined;
    if (state?.undeliverable_here) {
      // Deferral is not emulated: fail it loudly; the lock stays and expires as usual.
      if (context.delivery) {
        finish(context.delivery, rejectedOutcome('amqp:not-implemented', 'Deferral is not supported by the emulator.'));
      }
      return;
    }
    settle(broker, context, 'modified', (store, token) => store.abandon(token, state?.message_annotations));
  });
  container.on('rejected', (context: EventContext) =>
    settle(broker, context, 'rejected', (store, token) => {
      const error = (context.delivery?.remote_state as { error?: { info?: Record<string, unknown> } } | undefined)
        ?.error;
      const { DeadLetterReason: reason, DeadLetterErrorDescription: description, ...properties } = error?.info ?? {};
      return store.deadLetter(token, optionalString(reason), optionalString(description), properties);
    }),
  );

  const detach = (context: EventContext): void => {
    if (context.sender) broker.removeConsumer(context.sender);
  };
  container.on('sender_close', detach);
  container.on('sender_error', (context: EventContext) => log(`receiver link error: ${String(context.sender?.error)}`));
  container.on('receiver_error', (context: EventContext) =>
    log(`sender link error: ${String(context.receiver?.error)}`),
  );
  container.on('connection_error', (context: EventContext) =>
    log(`connection error: ${String(context.connection.error)}`),
  );
}

function pumpFor(broker: Broker, sender: Sender | undefined): void {
  const store = sender ? broker.storeOf(sender) : undefined;
  if (store) broker.pump(store);
}

/** Applies a client's outcome to a peek-locked delivery and settles it; a lost lock settles as rejected. */
function settle(
  broker: Broker,
  context: EventContext,
  outcome: 'accepted' | 'released' | 'modified' | 'rejected',
  apply: (store: QueueStore, lockToken: string) => boolean,
): void {
  const { sender, delivery } = context;
  if (!sender || !delivery) return;
  const store = broker.storeOf(sender);
  const token = lockTokenFromDeliveryTag(delivery.tag);
  const ok = store !== undefined && token !== undefined && apply(store, token);
  finish(
    delivery,
    ok
      ? settledOutcome(outcome)
      : rejectedOutcome(
          'com.microsoft:message-lock-lost',
          'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
        ),
  );
  broker.pumpAll();
}

/**
 * Settles a peek-locked delivery with its outcome, for good. The client settles after the broker (rcv-settle-mode
 * "second") and tells it nothing more, but rhea frees a session's delivery slot only once both ends have settled:
 * 2,048 slots, after which the link stopped delivering. So the broker marks the client's side settled itself.
 */
function finish(delivery: Delivery, outcome: unknown): void {
  delivery.update(true, outcome);
  (delivery as { remote_settled: boolean }).remote_settled = true;
}

/** Request/response nodes answer on the client's receiver whose target is the request's reply-to address. */
function reply(connection: Connection, nodeAddress: string, request: Message, answer: Message): void {
  const replyTo: unknown = request.reply_to;
  const byReplyTo = (s: Sender): boolean => s.target?.address === replyTo;
  const bySource = (s: Sender): boolean => s.source?.address === nodeAddress;
  const sender = connection.find_sender(byReplyTo) ?? connection.find_sender(bySource);
  sender?.send(answer);
}

function refuse(link: Sender | Receiver, error: AmqpError): void {
  link.close(error);
}

/** The SDK maps this description to its `MessagingEntityNotFound` code, as it does for the real service. */
function notFound(address: unknown): AmqpError {
  return { condition: 'amqp:not-found', description: `The messaging entity '${String(address)}' could not be found.` };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
