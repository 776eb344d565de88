import type { ServiceBusClient } from '@azure/service-bus';
import { fixedClock } from '../../shared/time/clock';
import { receiveOne, startEmulatorFixture, type EmulatorFixture } from './servicebus-test-fixture';

// Fidelity tests for settlement and locks, driven only through the real @azure/service-bus SDK.
// Time is a fixed clock moved by hand, so lock expiry needs no sleeping.
jest.setTimeout(60_000);

const clock = fixedClock(new Date());
// Auto lock renewal would extend locks behind the test's back.
const NO_RENEWAL = { maxAutoLockRenewalDurationInMs: 0 };
let bus: EmulatorFixture;
let client: ServiceBusClient;

beforeAll(async () => {
  const names = ['abandon', 'dead-letter', 'max-delivery', 'lock-expiry', 'renew', 'link-gone', 'long-lived'];
  bus = await startEmulatorFixture({ queues: names, maxDeliveryCount: 3, clock });
  client = bus.client;
});

afterAll(async () => {
  await bus.stop();
});

test('abandon makes the message available again with deliveryCount + 1', async () => {
  await client.createSender('abandon').sendMessages({ body: 'retry me', messageId: 'a-1' });
  const receiver = client.createReceiver('abandon', NO_RENEWAL);
  const first = await receiveOne(receiver);
  expect(first.deliveryCount).toBe(0);
  await receiver.abandonMessage(first, { reason: 'transient' });
  const second = await receiveOne(receiver);
  expect(second).toMatchObject({ messageId: 'a-1', body: 'retry me', deliveryCount: 1 });
  expect(second.sequenceNumber?.toString()).toBe(first.sequenceNumber?.toString());
  expect(second.applicationProperties).toMatchObject({ reason: 'transient' });
  await receiver.completeMessage(second);
  await receiver.close();
});

test('deadLetterMessage moves the message to $deadletterqueue with reason and description', async () => {
  await client.createSender('dead-letter').sendMessages({ body: { bad: true }, messageId: 'd-1' });
  const receiver = client.createReceiver('dead-letter', NO_RENEWAL);
  const message = await receiveOne(receiver);
  await receiver.deadLetterMessage(message, {
    deadLetterReason: 'SchemaInvalid',
    deadLetterErrorDescription: 'missing vaultId',
  });
  expect(await receiver.peekMessages(10, { fromSequenceNumber: message.sequenceNumber })).toHaveLength(0);
  const deadLetters = client.createReceiver('dead-letter', { subQueueType: 'deadLetter', ...NO_RENEWAL });
  const dead = await receiveOne(deadLetters);
  expect(dead).toMatchObject({
    messageId: 'd-1',
    body: { bad: true },
    deadLetterReason: 'SchemaInvalid',
    deadLetterErrorDescription: 'missing vaultId',
  });
  await deadLetters.completeMessage(dead);
  expect(await deadLetters.peekMessages(10, { fromSequenceNumber: dead.sequenceNumber })).toHaveLength(0);
  await Promise.all([receiver.close(), deadLetters.close()]);
});

test('past maxDeliveryCount the broker dead-letters with MaxDeliveryCountExceeded', async () => {
  await client.createSender('max-delivery').sendMessages({ body: 'poison', messageId: 'p-1' });
  const receiver = client.createReceiver('max-delivery', NO_RENEWAL);
  const counts: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const message = await receiveOne(receiver);
    counts.push(message.deliveryCount ?? -1);
    await receiver.abandonMessage(message);
  }
  expect(counts).toEqual([0, 1, 2]);
  expect(await receiver.peekMessages(10)).toHaveLength(0);
  const deadLetters = client.createReceiver('max-delivery', { subQueueType: 'deadLetter', ...NO_RENEWAL });
  const dead = await receiveOne(deadLetters);
  expect(dead).toMatchObject({ messageId: 'p-1', deadLetterReason: 'MaxDeliveryCountExceeded' });
  await deadLetters.completeMessage(dead);
  await Promise.all([receiver.close(), deadLetters.close()]);
});

test('an expired lock makes the message redeliverable with deliveryCount + 1; the old lock is lost', async () => {
  await client.createSender('lock-expiry').sendMessages({ body: 'slow', messageId: 'l-1' });
  const receiver = client.createReceiver('lock-expiry', NO_RENEWAL);
  const first = await receiveOne(receiver);
  clock.advance(31_000);
  const second = await receiveOne(receiver);
  expect(second).toMatchObject({ messageId: 'l-1', deliveryCount: 1 });
  await expect(receiver.completeMessage(first)).rejects.toMatchObject({ code: 'MessageLockLost' });
  await receiver.completeMessage(second);
  expect(await receiver.peekMessages(10, { fromSequenceNumber: second.sequenceNumber })).toHaveLength(0);
  await receiver.close();
});

test('renewMessageLock extends the lock so it outlives its first expiry', async () => {
  await client.createSender('renew').sendMessages({ body: 'long job', messageId: 'r-1' });
  const receiver = client.createReceiver('renew', NO_RENEWAL);
  const message = await receiveOne(receiver);
  const firstExpiry = message.lockedUntilUtc?.getTime() ?? 0;
  clock.advance(20_000);
  const renewed = await receiver.renewMessageLock(message);
  expect(renewed.getTime()).toBe(firstExpiry + 20_000);
  expect(message.lockedUntilUtc?.getTime()).toBe(renewed.getTime());
  clock.advance(20_000); // past the first expiry, before the renewed one
  await receiver.completeMessage(message);
  expect(await receiver.peekMessages(10, { fromSequenceNumber: message.sequenceNumber })).toHaveLength(0);
  await receiver.close();
});

test('renewMessageLock on a lost lock fails with MessageLockLost', async () => {
  await client.createSender('renew').sendMessages({ body: 'forgotten', messageId: 'r-2' });
  const receiver = client.createReceiver('renew', NO_RENEWAL);
  const message = await receiveOne(receiver);
  clock.advance(31_000);
  const redelivered = await receiveOne(receiver);
  await expect(receiver.renewMessageLock(message)).rejects.toMatchObject({ code: 'MessageLockLost' });
  await receiver.completeMessage(redelivered);
  await receiver.close();
});

test('a message whose receiving link is closed is still settled, through $management', async () => {
  await client.createSender('link-gone').sendMessages([{ body: 'finish me' }, { body: 'reject me' }]);
  const first = client.createReceiver('link-gone', NO_RENEWAL);
  const toComplete = await receiveOne(first);
  const toDeadLetter = await receiveOne(first);
  await first.close();
  const second = client.createReceiver('link-gone', NO_RENEWAL);
  await second.completeMessage(toComplete);
  await second.deadLetterMessage(toDeadLetter, { deadLetterReason: 'Rejected', deadLetterErrorDescription: 'by test' });
  expect(await second.peekMessages(10, { fromSequenceNumber: toComplete.sequenceNumber })).toHaveLength(0);
  const deadLetters = client.createReceiver('link-gone', { subQueueType: 'deadLetter', ...NO_RENEWAL });
  const dead = await receiveOne(deadLetters);
  expect(dead).toMatchObject({
    body: 'reject me',
    deadLetterReason: 'Rejected',
    deadLetterErrorDescription: 'by test',
  });
  await deadLetters.completeMessage(dead);
  await Promise.all([second.close(), deadLetters.close()]);
});

test('one sender and one receiver keep working past 2,048 deliveries each', async () => {
  // rhea keeps a session's deliveries until both ends have settled them, in a buffer of 2,048. In peek-lock the
  // service settles last, so a broker that waited for the client's settlement stopped delivering after 2,048.
  const total = 2_100;
  const sender = client.createSender('long-lived');
  // One delivery per message (not batches), a hundred in flight.
  for (let start = 0; start < total; start += 100) {
    const ids = Array.from({ length: Math.min(100, total - start) }, (_, i) => start + i);
    await Promise.all(ids.map((i) => sender.sendMessages({ body: i, messageId: `m-${i}` })));
  }
  const receiver = client.createReceiver('long-lived', NO_RENEWAL);
  const seen = new Set<string>();
  while (seen.size < total) {
    const messages = await receiver.receiveMessages(200, { maxWaitTimeInMs: 10_000 });
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      seen.add(String(message.messageId));
      await receiver.completeMessage(message);
    }
  }
  expect(seen.size).toBe(total);
  expect(await receiver.peekMessages(10)).toHaveLength(0);
  await Promise.all([sender.close(), receiver.close()]);
});
