import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import type { TopicSpec } from '../../shared/config/topics';
import { fixedClock } from '../../shared/time/clock';
import { receiveOne, startEmulatorFixture, type EmulatorFixture } from './servicebus-test-fixture';

// Fidelity tests for topics and subscriptions, driven only through the real @azure/service-bus SDK.
// Time is a fixed clock moved by hand, so lock expiry, schedules and the duplicate window need no sleeping.
jest.setTimeout(60_000);

const clock = fixedClock(new Date());
// Auto lock renewal would extend locks behind the test's back.
const NO_RENEWAL = { maxAutoLockRenewalDurationInMs: 0 };
const DEDUP_WINDOW_SECONDS = 60;

/** Every topic has subscriptions `a` (2 deliveries, 10 s lock) and `b` (5 deliveries, 60 s lock). */
function topic(name: string): TopicSpec {
  return {
    name,
    duplicateDetectionWindowSeconds: DEDUP_WINDOW_SECONDS,
    subscriptions: [
      { name: 'a', maxDeliveryCount: 2, lockDurationSeconds: 10 },
      { name: 'b', maxDeliveryCount: 5, lockDurationSeconds: 60 },
    ],
  };
}

const TOPICS = ['fan-out', 'dead-letter', 'max-delivery', 'lock-expiry', 'link-gone', 'dedup', 'schedule', 'refuse'];
let bus: EmulatorFixture;
let client: ServiceBusClient;

beforeAll(async () => {
  bus = await startEmulatorFixture({
    queues: [],
    maxDeliveryCount: 10,
    clock,
    topics: [
      ...TOPICS.map(topic),
      { name: 'no-subscriptions', duplicateDetectionWindowSeconds: 60, subscriptions: [] },
    ],
  });
  client = bus.client;
});

afterAll(async () => {
  await bus.stop();
});

function receiver(topicName: string, subscription: string, deadLetter = false): ServiceBusReceiver {
  return client.createReceiver(topicName, subscription, {
    ...NO_RENEWAL,
    ...(deadLetter ? { subQueueType: 'deadLetter' as const } : {}),
  });
}

/**
 * What is left in a subscription (or its dead-letter queue), available, locked or scheduled. A client of its own each
 * time: the SDK's peek without a sequence number resumes after the last message its connection peeked on that entity.
 */
async function left(topicName: string, subscription: string, deadLetter = false): Promise<ServiceBusReceivedMessage[]> {
  const peekClient = new ServiceBusClient(bus.emulator.connectionString);
  try {
    const peeker = peekClient.createReceiver(topicName, subscription, deadLetter ? { subQueueType: 'deadLetter' } : {});
    return await peeker.peekMessages(10);
  } finally {
    await peekClient.close();
  }
}

test('a message sent to the topic reaches every subscription once; completing one copy leaves the other', async () => {
  await client.createSender('fan-out').sendMessages({
    body: { event: 'scan.completed' },
    messageId: 'f-1',
    correlationId: 'corr-1',
    applicationProperties: { kind: 'scan' },
  });
  const a = receiver('fan-out', 'a');
  const b = receiver('fan-out', 'b');
  const fromA = await receiveOne(a);
  const fromB = await receiveOne(b);
  for (const copy of [fromA, fromB]) {
    expect(copy).toMatchObject({
      body: { event: 'scan.completed' },
      messageId: 'f-1',
      correlationId: 'corr-1',
      applicationProperties: { kind: 'scan' },
      deliveryCount: 0,
    });
  }
  expect(fromA.lockToken).not.toBe(fromB.lockToken);
  await a.completeMessage(fromA);
  expect(await left('fan-out', 'a')).toHaveLength(0);
  expect((await left('fan-out', 'b')).map((m) => m.messageId)).toEqual(['f-1']);
  await b.completeMessage(fromB);
  expect(await left('fan-out', 'b')).toHaveLength(0);
  // Each copy carries its subscription's own sequence number (Service Bus numbers each subscription from 1).
  await client.createSender('fan-out').sendMessages({ body: 'second', messageId: 'f-2' });
  const secondA = await receiveOne(a);
  const secondB = await receiveOne(b);
  expect([secondA.sequenceNumber?.toNumber(), secondB.sequenceNumber?.toNumber()]).toEqual([2, 2]);
  await Promise.all([a.completeMessage(secondA), b.completeMessage(secondB)]);
  await Promise.all([a.close(), b.close()]);
});

test('dead-lettering on one subscription leaves the other; its dead-letter queue is peeked, received and resubmitted', async () => {
  await client.createSender('dead-letter').sendMessages({ body: 'bad', messageId: 'd-1' });
  const a = receiver('dead-letter', 'a');
  await a.deadLetterMessage(await receiveOne(a), {
    deadLetterReason: 'SchemaInvalid',
    deadLetterErrorDescription: 'missing vaultId',
  });
  expect(await left('dead-letter', 'a')).toHaveLength(0);
  expect(await left('dead-letter', 'b', true)).toHaveLength(0);
  const peeked = await left('dead-letter', 'a', true);
  expect(peeked).toEqual([
    expect.objectContaining({ messageId: 'd-1', deadLetterReason: 'SchemaInvalid', deliveryCount: 0 }),
  ]);

  const deadLetters = receiver('dead-letter', 'a', true);
  const dead = await receiveOne(deadLetters);
  expect(dead).toMatchObject({
    body: 'bad',
    messageId: 'd-1',
    deadLetterReason: 'SchemaInvalid',
    deadLetterErrorDescription: 'missing vaultId',
    deliveryCount: 0,
  });
  // Resubmission is a new send to the topic (a new messageId: the old one is still inside the duplicate window).
  await client.createSender('dead-letter').sendMessages({ body: dead.body as string, messageId: 'd-1-resubmitted' });
  await deadLetters.completeMessage(dead);
  expect(await left('dead-letter', 'a', true)).toHaveLength(0);

  const b = receiver('dead-letter', 'b');
  const fromB = [await receiveOne(b), await receiveOne(b)];
  expect(fromB.map((m) => [m.messageId, m.deliveryCount])).toEqual([
    ['d-1', 0],
    ['d-1-resubmitted', 0],
  ]);
  const resubmitted = await receiveOne(a);
  expect(resubmitted).toMatchObject({ body: 'bad', messageId: 'd-1-resubmitted', deliveryCount: 0 });
  await a.completeMessage(resubmitted);
  for (const message of fromB) await b.completeMessage(message);
  await Promise.all([a.close(), b.close(), deadLetters.close()]);
});

test('abandons count against that subscription only, up to its own maxDeliveryCount', async () => {
  await client.createSender('max-delivery').sendMessages({ body: 'poison', messageId: 'p-1' });
  const a = receiver('max-delivery', 'a');
  const b = receiver('max-delivery', 'b');
  const countsA: (number | undefined)[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const message = await receiveOne(a);
    countsA.push(message.deliveryCount);
    await a.abandonMessage(message);
  }
  expect(countsA).toEqual([0, 1]);
  // a's max delivery count is 2: the message is in a's dead-letter queue, with its delivery count.
  expect(await left('max-delivery', 'a')).toHaveLength(0);
  const [dead] = await left('max-delivery', 'a', true);
  expect(dead).toMatchObject({ messageId: 'p-1', deadLetterReason: 'MaxDeliveryCountExceeded', deliveryCount: 2 });

  // b's copy was never delivered, and its max delivery count (5) lets it survive two abandons.
  const countsB: (number | undefined)[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const message = await receiveOne(b);
    countsB.push(message.deliveryCount);
    if (attempt < 2) await b.abandonMessage(message);
    else await b.completeMessage(message);
  }
  expect(countsB).toEqual([0, 1, 2]);
  expect(await left('max-delivery', 'b', true)).toHaveLength(0);
  await Promise.all([a.close(), b.close()]);
});

test("a subscription's lock expires after its own lock duration and redelivers there only", async () => {
  await client.createSender('lock-expiry').sendMessages({ body: 'slow', messageId: 'l-1' });
  const a = receiver('lock-expiry', 'a');
  const b = receiver('lock-expiry', 'b');
  const firstA = await receiveOne(a);
  const firstB = await receiveOne(b);
  expect(firstA.lockedUntilUtc?.getTime()).toBe(clock.now().getTime() + 10_000);
  expect(firstB.lockedUntilUtc?.getTime()).toBe(clock.now().getTime() + 60_000);
  clock.advance(11_000); // past a's 10 s lock, inside b's 60 s lock
  const secondA = await receiveOne(a);
  expect(secondA).toMatchObject({ messageId: 'l-1', deliveryCount: 1 });
  await expect(a.completeMessage(firstA)).rejects.toMatchObject({ code: 'MessageLockLost' });
  // b's lock is still held: renewing extends it by b's lock duration, and the first delivery completes.
  const renewed = await b.renewMessageLock(firstB);
  expect(renewed.getTime()).toBe(clock.now().getTime() + 60_000);
  await b.completeMessage(firstB);
  await a.completeMessage(secondA);
  expect(await left('lock-expiry', 'a')).toHaveLength(0);
  expect(await left('lock-expiry', 'b')).toHaveLength(0);
  await Promise.all([a.close(), b.close()]);
});

test('a subscription message whose receiving link is closed is settled through $management', async () => {
  await client.createSender('link-gone').sendMessages({ body: 'finish me', messageId: 'g-1' });
  const first = receiver('link-gone', 'a');
  const message = await receiveOne(first);
  await first.close();
  const second = receiver('link-gone', 'a');
  await second.deadLetterMessage(message, { deadLetterReason: 'Rejected', deadLetterErrorDescription: 'by test' });
  const [dead] = await left('link-gone', 'a', true);
  expect(dead).toMatchObject({ messageId: 'g-1', deadLetterReason: 'Rejected', deadLetterErrorDescription: 'by test' });
  expect((await left('link-gone', 'b')).map((m) => m.messageId)).toEqual(['g-1']);
  await second.close();
});

test("the topic's duplicate detection drops a repeated messageId before fan-out", async () => {
  const sender = client.createSender('dedup');
  await sender.sendMessages({ body: 'original', messageId: 'same-id' });
  await sender.sendMessages([
    { body: 'duplicate', messageId: 'same-id' },
    { body: 'other', messageId: 'other-id' },
  ]);
  for (const subscription of ['a', 'b']) {
    expect((await left('dedup', subscription)).map((m) => m.body)).toEqual(['original', 'other']);
  }
  clock.advance((DEDUP_WINDOW_SECONDS + 1) * 1000); // the topic's window has passed: the id is new again
  await sender.sendMessages({ body: 'after window', messageId: 'same-id' });
  for (const subscription of ['a', 'b']) {
    const bodies = (await left('dedup', subscription)).map((m) => m.body);
    expect(bodies).toEqual(['original', 'other', 'after window']);
  }
  await sender.close();
});

test('scheduled messages wait in the topic and fan out when due; cancelling takes the topic sequence number', async () => {
  const sender = client.createSender('schedule');
  const at = new Date(clock.now().getTime() + 60_000);
  const [cancelled, kept] = await sender.scheduleMessages([{ body: 'cancel me' }, { body: 'keep me' }], at);
  if (!cancelled || !kept) throw new Error('scheduleMessages returned too few sequence numbers');
  expect([cancelled.toNumber(), kept.toNumber()]).toEqual([1, 2]);
  await sender.cancelScheduledMessages([cancelled]);
  expect(await left('schedule', 'a')).toHaveLength(0);
  clock.set(at);
  for (const subscription of ['a', 'b']) {
    const subscriptionReceiver = receiver('schedule', subscription);
    const message = await receiveOne(subscriptionReceiver);
    expect(message.body).toBe('keep me');
    expect(message.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
    expect(message.enqueuedTimeUtc?.getTime()).toBe(at.getTime());
    await subscriptionReceiver.completeMessage(message);
    expect(await left('schedule', subscription)).toHaveLength(0);
    await subscriptionReceiver.close();
  }
  await sender.close();
});

test('topic and subscription names are case-insensitive', async () => {
  await client.createSender('FAN-OUT').sendMessages({ body: 'shouted', messageId: 'c-1' });
  const a = client.createReceiver('Fan-Out', 'A', NO_RENEWAL);
  const message = await receiveOne(a);
  expect(message.messageId).toBe('c-1');
  await a.completeMessage(message);
  const b = receiver('fan-out', 'b');
  await b.completeMessage(await receiveOne(b));
  await Promise.all([a.close(), b.close()]);
});

test('sending to a subscription and receiving from a topic are refused; an unknown subscription is not found', async () => {
  // amqp:not-allowed: the SDK's non-retryable "InvalidOperationError", which it reports as a GeneralError.
  const refused = (what: string): object => ({
    code: 'GeneralError',
    retryable: false,
    message: expect.stringMatching(new RegExp(`^InvalidOperationError: ${what}`)),
  });
  await expect(client.createSender('refuse/Subscriptions/a').sendMessages({ body: 1 })).rejects.toMatchObject(
    refused('Cannot send to subscription'),
  );
  await expect(
    client.createReceiver('refuse', NO_RENEWAL).receiveMessages(1, { maxWaitTimeInMs: 1_000 }),
  ).rejects.toMatchObject(refused('Cannot receive from topic'));
  await expect(receiver('refuse', 'nope').receiveMessages(1, { maxWaitTimeInMs: 1_000 })).rejects.toMatchObject({
    code: 'MessagingEntityNotFound',
  });
  expect(await left('refuse', 'a')).toHaveLength(0);
});

test('a topic without subscriptions accepts messages and drops them', async () => {
  const sender = client.createSender('no-subscriptions');
  await expect(sender.sendMessages({ body: 'nobody listens' })).resolves.toBeUndefined();
  await expect(
    sender.scheduleMessages({ body: 'later' }, new Date(clock.now().getTime() + 1_000)),
  ).resolves.toHaveLength(1);
  await sender.close();
});
