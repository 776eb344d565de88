import type { ServiceBusClient } from '@azure/service-bus';
import { fixedClock } from '../../shared/time/clock';
import { receiveOne, startEmulatorFixture, type EmulatorFixture } from './servicebus-test-fixture';

// Fidelity tests for time-based behaviour (scheduling, duplicate detection, time-to-live), driven only
// through the real @azure/service-bus SDK; the emulator's clock is moved by hand.
jest.setTimeout(60_000);

const clock = fixedClock(new Date());
let bus: EmulatorFixture;
let client: ServiceBusClient;

beforeAll(async () => {
  const names = ['schedule', 'cancel', 'send-scheduled', 'dedup', 'ttl'];
  bus = await startEmulatorFixture({ queues: names, maxDeliveryCount: 5, clock });
  client = bus.client;
});

afterAll(async () => {
  await bus.stop();
});

test('scheduleMessages returns sequence numbers and enqueues the messages at the scheduled time', async () => {
  const sender = client.createSender('schedule');
  const at = new Date(clock.now().getTime() + 60_000);
  const sequenceNumbers = await sender.scheduleMessages([{ body: 's1' }, { body: 's2' }], at);
  expect(sequenceNumbers.map(Number)).toEqual([1, 2]);
  const receiver = client.createReceiver('schedule');
  const peeked = await receiver.peekMessages(10);
  expect(peeked.map((m) => [m.body, m.state, m.scheduledEnqueueTimeUtc?.getTime()])).toEqual([
    ['s1', 'scheduled', at.getTime()],
    ['s2', 'scheduled', at.getTime()],
  ]);
  // Not due yet: a receive with the clock standing still gets nothing.
  expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 1_000 })).toHaveLength(0);
  clock.set(at);
  const first = await receiveOne(receiver);
  const second = await receiveOne(receiver);
  expect([first.body, second.body]).toEqual(['s1', 's2']);
  expect(first.sequenceNumber?.toString()).toBe(sequenceNumbers[0]?.toString());
  await receiver.completeMessage(first);
  await receiver.completeMessage(second);
  await receiver.close();
});

test('cancelScheduledMessages removes scheduled messages before they are enqueued', async () => {
  const sender = client.createSender('cancel');
  const at = new Date(clock.now().getTime() + 60_000);
  const [cancelled, kept] = await sender.scheduleMessages([{ body: 'cancel me' }, { body: 'keep me' }], at);
  if (!cancelled || !kept) throw new Error('scheduleMessages returned too few sequence numbers');
  await sender.cancelScheduledMessages([cancelled]);
  const receiver = client.createReceiver('cancel');
  expect((await receiver.peekMessages(10)).map((m) => m.body)).toEqual(['keep me']);
  clock.set(at);
  const message = await receiveOne(receiver);
  expect(message.body).toBe('keep me');
  await receiver.completeMessage(message);
  expect(await receiver.peekMessages(10, { fromSequenceNumber: cancelled })).toHaveLength(0);
  await receiver.close();
});

test('scheduledEnqueueTimeUtc on send defers the message until that time', async () => {
  const at = new Date(clock.now().getTime() + 120_000);
  await client.createSender('send-scheduled').sendMessages({ body: 'later', scheduledEnqueueTimeUtc: at });
  const receiver = client.createReceiver('send-scheduled');
  expect((await receiver.peekMessages(1)).map((m) => m.state)).toEqual(['scheduled']);
  clock.set(at);
  const message = await receiveOne(receiver);
  expect(message.body).toBe('later');
  expect(message.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
  await receiver.completeMessage(message);
  await receiver.close();
});

test('a messageId seen inside the duplicate-detection window is accepted and dropped', async () => {
  const sender = client.createSender('dedup');
  await sender.sendMessages({ body: 'original', messageId: 'same-id' });
  await sender.sendMessages({ body: 'duplicate', messageId: 'same-id' });
  await sender.sendMessages([
    { body: 'batched duplicate', messageId: 'same-id' },
    { body: 'other', messageId: 'other-id' },
  ]);
  const receiver = client.createReceiver('dedup');
  expect((await receiver.peekMessages(10)).map((m) => m.body)).toEqual(['original', 'other']);
  clock.advance(61_000); // the window has passed: the same id is new again
  await sender.sendMessages({ body: 'after window', messageId: 'same-id' });
  const bodies: unknown[] = [];
  while (bodies.length < 3) {
    const message = await receiveOne(receiver);
    bodies.push(message.body);
    await receiver.completeMessage(message);
  }
  expect(bodies).toEqual(['original', 'other', 'after window']);
  await receiver.close();
});

test('a message past its timeToLive is no longer delivered', async () => {
  const sender = client.createSender('ttl');
  await sender.sendMessages([
    { body: 'short-lived', timeToLive: 5_000 },
    { body: 'long-lived', timeToLive: 600_000 },
  ]);
  clock.advance(6_000);
  const receiver = client.createReceiver('ttl');
  const message = await receiveOne(receiver);
  expect(message.body).toBe('long-lived');
  await receiver.completeMessage(message);
  expect(await receiver.peekMessages(10)).toHaveLength(0);
  await receiver.close();
});
