import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { create_container, type Connection, type EventContext } from 'rhea';
import type { QueueSpec } from '../../shared/config/queues';
import type { TopicSpec } from '../../shared/config/topics';
import { systemClock, type Clock } from '../../shared/time/clock';
import { Broker } from './servicebus-broker';
import { emulatorConnectionString } from './servicebus-connection-string';
import { handleLinks } from './servicebus-links';

export interface ServiceBusEmulatorOptions {
  /** TCP port; 0 (the default) lets the OS choose a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** The queues that exist; any other entity name is "not found". */
  queues: readonly QueueSpec[];
  /** The topics that exist, each with its subscriptions; default none. */
  topics?: readonly TopicSpec[];
  /** Source of "now" for locks, schedules, TTL and duplicate detection; default the system clock. */
  clock?: Clock;
  /** How often, in ms, the clock is applied to locks and schedules; default 100. */
  tickIntervalMs?: number;
  /** Receives diagnostic lines; the emulator logs nothing by default. */
  log?: (message: string) => void;
}

export interface RunningServiceBusEmulator {
  readonly port: number;
  readonly connectionString: string;
  /** Messages the broker accepted and dropped as duplicates (same messageId within the window), oldest first. */
  droppedDuplicates(): readonly { readonly entity: string; readonly messageId: string }[];
  /** How many peek-locks on the queue expired unsettled (a crashed receiver's messages come back this way). */
  expiredLocks(entity: string): number;
  stop(): Promise<void>;
}

/**
 * Starts an in-process Service Bus emulator speaking AMQP 1.0 (built on rhea) that the unmodified
 * `@azure/service-bus` SDK reaches through `connectionString` (`UseDevelopmentEmulator=true`).
 *
 * Emulated: queues and their dead-letter queues; topics (`<topic>`) whose every message is copied into each of
 * their subscriptions (`<topic>/Subscriptions/<name>`, each with its own locks, delivery counts, max delivery count,
 * lock duration and dead-letter queue); send (single and batch); peek-lock and receive-and-delete receivers;
 * complete, abandon, dead-letter (explicit, and past maxDeliveryCount); lock expiry and renewal; scheduled messages;
 * duplicate detection (per queue, per topic before fan-out); time-to-live; peek; settlement through `$management`
 * when the receiving link is gone. Sending to a subscription or a dead-letter queue, and receiving from a topic, are
 * refused with `amqp:not-allowed`. Not emulated: subscription rules and filters (every subscription gets every
 * message), auto-forwarding, sessions, deferral, transactions, the ATOM administration client, and SAS token checks
 * (any token is accepted). State lives in memory and ends with `stop()`.
 */
export async function startServiceBusEmulator(options: ServiceBusEmulatorOptions): Promise<RunningServiceBusEmulator> {
  const log = options.log ?? ((): void => undefined);
  const broker = new Broker(options.queues, options.topics ?? [], options.clock ?? systemClock);
  // Outcomes are chosen by the broker, so nothing is accepted automatically and "modified" (abandon)
  // stays distinct from "released".
  const container = create_container({
    id: 'servicebus-emulator',
    autoaccept: false,
    treat_modified_as_released: false,
  });
  const mechanisms = container.sasl_server_mechanisms as {
    enable_anonymous(): void;
    enable_plain(check: () => boolean): void;
  };
  mechanisms.enable_anonymous();
  mechanisms.enable_plain(() => true);
  const dropped: { entity: string; messageId: string }[] = [];
  handleLinks(container, broker, log, (entity, messageId) => {
    dropped.push({ entity, messageId });
    log(`dropped duplicate ${messageId} on ${entity}`);
  });

  const connections = new Set<Connection>();
  container.on('connection_open', (context: EventContext) => connections.add(context.connection));
  const forget = (context: EventContext): void => {
    connections.delete(context.connection);
    broker.removeConsumersOf(context.connection);
  };
  container.on('connection_close', forget);
  container.on('disconnected', forget);

  const server = container.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const port = (server.address() as AddressInfo).port;
  log(`listening on ${options.host ?? '127.0.0.1'}:${port}`);

  const ticker = setInterval(() => broker.tick(), options.tickIntervalMs ?? 100);
  ticker.unref();

  return {
    port,
    connectionString: emulatorConnectionString(port),
    droppedDuplicates: () => [...dropped],
    expiredLocks: (entity) => broker.expiredLocks(entity),
    stop: async () => {
      clearInterval(ticker);
      // The listener closes whatever happens before: a throw while closing connections (rhea throws on a connection
      // whose socket is already gone) must not leave the port open and the test process unable to exit.
      try {
        // Closing AMQP connections first (rather than only cutting sockets) lets a client that is
        // still open see a clean close, so its own close() later does not hang on reconnects.
        // Not events.once: it rejects on the 'error' a reset socket emits first (ECONNRESET when a client process is
        // stopped at the same moment), which left the listener open.
        const socketsClosed = Promise.all(
          [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve))),
        );
        for (const connection of connections) {
          try {
            connection.close();
          } catch (error) {
            log(`closing a connection failed: ${(error as Error).message}`);
          }
        }
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([socketsClosed, new Promise((resolve) => (grace = setTimeout(resolve, 2_000)))]);
        clearTimeout(grace);
      } finally {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
      }
    },
  };
}
