import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { fixedClock } from '../../shared/time/clock';
import { startEmulatorFixture, type EmulatorFixture } from './servicebus-test-fixture';

// Fidelity tests: the emulator is driven only through the real @azure/service-bus SDK.
jest.setTimeout(60_000);

const clock = fixedClock(new Date());
const WAIT = { maxWaitTimeInMs: 10_000 };
let bus: EmulatorFixture;
let client: ServiceBusClient;

beforeAll(async () => {
  const names = ['props', 'batch', 'complete', 'subscribe', 'delete', 'peek'];
  bus = await startEmulatorFixture({ queues: names, maxDeliveryCount: 5, clock });
  client = bus.client;
});

afterAll(async () => {
  await bus.stop();
});

/** Receives until `count` messages arrived: the SDK may split them over several calls on a loaded machine. */
async function receiveCount(receiver: ServiceBusReceiver, count: number): Promise<ServiceBusReceivedMessage[]> {
  const received: ServiceBusReceivedMessage[] = [];
  while (received.length < count) received.push(...(await receiver.receiveMessages(count - received.length, WAIT)));
  return received;
}

async function receiveAll(queue: string, count: number): Promise<ServiceBusReceivedMessage[]> {
  const receiver = client.createReceiver(queue);
  const received = await receiveCount(receiver, count);
  for (const message of received) await receiver.completeMessage(message);
  await receiver.close();
  return received;
}

test('a sent message round-trips its body, properties and system properties', async () => {
  const sentAt = clock.now();
  await client.createSender('props').sendMessages({
    body: { vault: 'kv-1', items: [1, 2] },
    messageId: 'm-1',
    correlationId: 'corr-1',
    subject: 'scan',
    contentType: 'application/json',
    applicationProperties: { tenant: 't1', attempt: 3, urgent: true },
    timeToLive: 120_000,
  });
  await client.createSender('props').sendMessages([{ body: 'plain text' }, { body: Buffer.from([0, 1, 254]) }]);
  const receiver = client.createReceiver('props');
  const [first, second, third] = await receiveCount(receiver, 3);
  expect(first).toMatchObject({
    body: { vault: 'kv-1', items: [1, 2] },
    messageId: 'm-1',
    correlationId: 'corr-1',
    subject: 'scan',
    contentType: 'application/json',
    applicationProperties: { tenant: 't1', attempt: 3, urgent: true },
    timeToLive: 120_000,
    deliveryCount: 0,
  });
  expect(first?.enqueuedTimeUtc?.getTime()).toBe(sentAt.getTime());
  expect(first?.lockedUntilUtc?.getTime()).toBe(sentAt.getTime() + 30_000);
  expect(first?.expiresAtUtc?.getTime()).toBe(sentAt.getTime() + 120_000);
  expect(first?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
  expect(second?.body).toBe('plain text');
  expect(Buffer.from(third?.body as Uint8Array)).toEqual(Buffer.from([0, 1, 254]));
  const sequenceNumbers = [first, second, third].map((m) => Number(m?.sequenceNumber));
  expect(sequenceNumbers).toEqual([1, 2, 3]);
  for (const message of [first, second, third]) if (message) await receiver.completeMessage(message);
  await receiver.close();
});

test('a batch (array or ServiceBusMessageBatch) is unpacked into separate messages', async () => {
  const sender = client.createSender('batch');
  await sender.sendMessages([{ body: 'a' }, { body: 'b' }]);
  const batch = await sender.createMessageBatch();
  expect(batch.tryAddMessage({ body: 'c', messageId: 'id-c' })).toBe(true);
  expect(batch.tryAddMessage({ body: 'd' })).toBe(true);
  await sender.sendMessages(batch);
  const received = await receiveAll('batch', 4);
  expect(received.map((m) => m.body)).toEqual(['a', 'b', 'c', 'd']);
  expect(received[2]?.messageId).toBe('id-c');
});

test('peek-lock receive then complete removes the message', async () => {
  await client.createSender('complete').sendMessages({ body: 'work' });
  const receiver = client.createReceiver('complete');
  const [message] = await receiver.receiveMessages(1, WAIT);
  expect(message?.body).toBe('work');
  expect(await receiver.peekMessages(10, { fromSequenceNumber: message?.sequenceNumber })).toHaveLength(1);
  if (message) await receiver.completeMessage(message);
  expect(await receiver.peekMessages(10, { fromSequenceNumber: message?.sequenceNumber })).toHaveLength(0);
  await receiver.close();
});

test('subscribe delivers messages to the handler and auto-completes them', async () => {
  await client.createSender('subscribe').sendMessages([{ body: 1 }, { body: 2 }, { body: 3 }]);
  const receiver = client.createReceiver('subscribe');
  const received: ServiceBusReceivedMessage[] = [];
  const errors: Error[] = [];
  const done = new Promise<void>((resolve) => {
    receiver.subscribe({
      processMessage: async (message) => {
        received.push(message);
        if (received.length === 3) resolve();
      },
      processError: async (args) => {
        errors.push(args.error);
      },
    });
  });
  await done;
  const fromSequenceNumber = received[0]?.sequenceNumber;
  await waitFor(async () => (await receiver.peekMessages(10, { fromSequenceNumber })).length === 0);
  await receiver.close();
  expect(received.map((m) => m.body)).toEqual([1, 2, 3]);
  expect(errors).toEqual([]);
});

test('receiveAndDelete removes messages on delivery, without a lock', async () => {
  await client.createSender('delete').sendMessages({ body: 'once' });
  const receiver = client.createReceiver('delete', { receiveMode: 'receiveAndDelete' });
  const [message] = await receiver.receiveMessages(1, WAIT);
  expect(message?.body).toBe('once');
  expect(message?.lockToken).toBeUndefined();
  expect(await receiver.peekMessages(10, { fromSequenceNumber: message?.sequenceNumber })).toHaveLength(0);
  await receiver.close();
});

test('peekMessages reads from a sequence number without locking', async () => {
  await client.createSender('peek').sendMessages([{ body: 'p1' }, { body: 'p2' }, { body: 'p3' }]);
  const receiver = client.createReceiver('peek');
  const all = await receiver.peekMessages(10);
  expect(all.map((m) => m.body)).toEqual(['p1', 'p2', 'p3']);
  const fromSecond = await receiver.peekMessages(10, { fromSequenceNumber: all[1]?.sequenceNumber });
  expect(fromSecond.map((m) => m.body)).toEqual(['p2', 'p3']);
  const received = await receiveAll('peek', 3);
  expect(received.map((m) => m.deliveryCount)).toEqual([0, 0, 0]);
  await receiver.close();
});

test('an unknown queue fails with MessagingEntityNotFound', async () => {
  await expect(client.createSender('no-such-queue').sendMessages({ body: 1 })).rejects.toMatchObject({
    code: 'MessagingEntityNotFound',
  });
  await expect(client.createReceiver('no-such-queue').receiveMessages(1, WAIT)).rejects.toMatchObject({
    code: 'MessagingEntityNotFound',
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}
