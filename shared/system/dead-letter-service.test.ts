import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from '../../dev/servicebus/servicebus-emulator';
import type { QueueSpec } from '../config/queues';
import type { TopicSpec } from '../config/topics';
import { ApiError } from '../http/http-errors';
import { COUNT_LIMIT, createDeadLetterService, NEWEST_LISTED, type DeadLetterService } from './dead-letter-service';

// The service against the Service Bus emulator through the real SDK, with no other consumer on the entities, so
// every message's whereabouts are known. Each test uses its own queue (or topic) so none sees another's messages.
const queue = (name: string): QueueSpec => ({
  name,
  maxDeliveryCount: 5,
  lockDurationSeconds: 60,
  duplicateDetectionWindowSeconds: 600,
});
const queues = ['listed', 'many', 'replayed', 'crashed', 'bounded', 'bodies', 'counted', 'failing'].map(queue);
const subscription = (name: string) => ({ name, maxDeliveryCount: 5, lockDurationSeconds: 60 });
const topics: TopicSpec[] = [
  {
    name: 'events',
    duplicateDetectionWindowSeconds: 600,
    subscriptions: [subscription('alpha'), subscription('beta')],
  },
];

let emulator: RunningServiceBusEmulator;
let client: ServiceBusClient;
let service: DeadLetterService;

beforeAll(async () => {
  emulator = await startServiceBusEmulator({ queues, topics });
  client = new ServiceBusClient(emulator.connectionString);
  service = createDeadLetterService({ serviceBus: () => client, queues, topics });
});

afterAll(async () => {
  await client?.close();
  await emulator?.stop();
});

/** Receives exactly `count` messages (the test's timeout bounds the wait). */
async function receive(receiver: ServiceBusReceiver, count: number): Promise<ServiceBusReceivedMessage[]> {
  const messages: ServiceBusReceivedMessage[] = [];
  while (messages.length < count) {
    messages.push(...(await receiver.receiveMessages(count - messages.length, { maxWaitTimeInMs: 10_000 })));
  }
  return messages;
}

/** Dead-letters every message waiting on a queue or subscription, with the given reason. */
async function deadLetterAll(
  receiver: ServiceBusReceiver,
  count: number,
  reason: string,
  description: string,
): Promise<void> {
  for (const message of await receive(receiver, count)) {
    await receiver.deadLetterMessage(message, { deadLetterReason: reason, deadLetterErrorDescription: description });
  }
  await receiver.close();
}

const deadLetters = (name: string, subscription?: string): ServiceBusReceiver =>
  subscription
    ? client.createReceiver(name, subscription, { subQueueType: 'deadLetter' })
    : client.createReceiver(name, { subQueueType: 'deadLetter' });

async function entity(name: string, subscription?: string) {
  const { entities } = await service.list();
  const found = entities.find((e) => e.queue === name && e.subscription === subscription);
  if (!found) throw new Error(`${name} ${subscription ?? ''} not listed`);
  return found;
}

test('lists every queue, then every subscription, empty ones with a count of 0', async () => {
  const { entities } = await service.list();
  expect(entities.map((e) => [e.queue, e.subscription])).toEqual([
    ...queues.map((q) => [q.name, undefined]),
    ['events', 'alpha'],
    ['events', 'beta'],
  ]);
  expect(entities.every((e) => e.count === 0 && e.messages.length === 0 && !e.countIsLowerBound && !e.error)).toBe(
    true,
  );
});

test('lists a dead letter with its metadata, a bounded description, and never its body', async () => {
  await client.createSender('listed').sendMessages({
    messageId: 'listed-1',
    body: { password: 'hunter2-in-the-body' },
    contentType: 'application/json',
    correlationId: 'corr-1',
    subject: 'scan.completed',
    applicationProperties: { origin: 'test' },
  });
  await deadLetterAll(client.createReceiver('listed'), 1, 'malformed', `scanId missing ${'x'.repeat(2000)}`);

  const listed = await entity('listed');
  expect(listed).toMatchObject({ count: 1, countIsLowerBound: false });
  expect(listed.messages).toEqual([
    {
      messageId: 'listed-1',
      reason: 'malformed',
      description: `scanId missing ${'x'.repeat(500 - 'scanId missing '.length)}`,
      enqueuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      deliveryCount: 0,
      correlationId: 'corr-1',
      subject: 'scan.completed',
    },
  ]);
  expect(JSON.stringify(await service.list())).not.toContain('hunter2');
  // Listings start at the first message every time, however many ran before or run at once.
  const again = await Promise.all([entity('listed'), entity('listed')]);
  expect(again.map((e) => e.count)).toEqual([1, 1]);
});

test('counts every dead letter and lists the newest first', async () => {
  const total = NEWEST_LISTED + 5;
  await client
    .createSender('many')
    .sendMessages(Array.from({ length: total }, (_, i) => ({ messageId: `many-${i}`, body: i })));
  await deadLetterAll(client.createReceiver('many'), total, 'test', 'numbered');

  const listed = await entity('many');
  expect(listed.count).toBe(total);
  expect(listed.countIsLowerBound).toBe(false);
  expect(listed.messages.map((m) => m.messageId)).toEqual(
    Array.from({ length: NEWEST_LISTED }, (_, i) => `many-${total - 1 - i}`),
  );
});

test(`stops counting at ${COUNT_LIMIT} and says the count is a lower bound`, async () => {
  const total = COUNT_LIMIT + 1;
  const sender = client.createSender('counted');
  for (let start = 0; start < total; start += 250) {
    const size = Math.min(250, total - start);
    await sender.sendMessages(Array.from({ length: size }, (_, i) => ({ messageId: `c-${start + i}`, body: 0 })));
  }
  await deadLetterAll(client.createReceiver('counted'), total, 'test', 'many');

  const listed = await entity('counted');
  expect(listed).toMatchObject({ count: COUNT_LIMIT, countIsLowerBound: true });
  expect(listed.messages[0]?.messageId).toBe(`c-${COUNT_LIMIT - 1}`);
});

test('replays a copy (same body, properties less the dead-letter ones, id ~replay) and completes the original', async () => {
  await client.createSender('replayed').sendMessages({
    messageId: 'r-1',
    body: { scanId: 's-1' },
    contentType: 'application/json',
    correlationId: 'corr-r',
    subject: 'plan',
    applicationProperties: { origin: 'test', attempt: 3 },
  });
  await deadLetterAll(client.createReceiver('replayed'), 1, 'malformed', 'bad');

  const outcome = await service.replay({ queue: 'replayed', max: 10 });
  expect(outcome).toEqual({ entity: { kind: 'queue', queue: 'replayed' }, replayedIds: ['r-1'], skippedIds: [] });

  const receiver = client.createReceiver('replayed');
  const [copy] = await receive(receiver, 1);
  expect(copy).toMatchObject({
    messageId: 'r-1~replay',
    body: { scanId: 's-1' },
    contentType: 'application/json',
    correlationId: 'corr-r',
    subject: 'plan',
    deliveryCount: 0,
  });
  expect(copy?.applicationProperties).toEqual({ origin: 'test', attempt: 3 });
  await receiver.completeMessage(copy as ServiceBusReceivedMessage);
  await receiver.close();
  expect(await deadLetters('replayed').peekMessages(10)).toHaveLength(0);
  expect(await service.replay({ queue: 'replayed', max: 10 })).toMatchObject({ replayedIds: [], skippedIds: [] });
});

test('a replay after a crash between send and complete sends nothing twice: the copy id is a duplicate', async () => {
  await client.createSender('crashed').sendMessages({ messageId: 'k-1', body: 'once' });
  await deadLetterAll(client.createReceiver('crashed'), 1, 'test', 'crash');
  // The first replay's send went out; the process died before it completed the dead letter.
  await client.createSender('crashed').sendMessages({ messageId: 'k-1~replay', body: 'once' });

  expect(await service.replay({ queue: 'crashed', max: 10 })).toMatchObject({ replayedIds: ['k-1'] });
  const waiting = await client.createReceiver('crashed').peekMessages(10);
  expect(waiting.map((m) => m.messageId)).toEqual(['k-1~replay']);
  expect(await deadLetters('crashed').peekMessages(10)).toHaveLength(0);
});

test('replays at most max messages, oldest first; the rest stay dead-lettered', async () => {
  await client.createSender('bounded').sendMessages([1, 2, 3].map((i) => ({ messageId: `b-${i}`, body: i })));
  await deadLetterAll(client.createReceiver('bounded'), 3, 'test', 'three');

  expect(await service.replay({ queue: 'bounded', max: 2 })).toMatchObject({ replayedIds: ['b-1', 'b-2'] });
  expect((await deadLetters('bounded').peekMessages(10)).map((m) => m.messageId)).toEqual(['b-3']);
});

test('a send that fails leaves that message and the rest dead-lettered, and names the error code', async () => {
  await client.createSender('failing').sendMessages([1, 2].map((i) => ({ messageId: `f-${i}`, body: i })));
  await deadLetterAll(client.createReceiver('failing'), 2, 'test', 'failing');
  const refused = Object.assign(new Error('the broker is away'), { code: 'ServiceCommunicationProblem' });
  const broken = {
    createReceiver: client.createReceiver.bind(client),
    createSender: () => ({
      sendMessages: () => Promise.reject(refused),
      close: () => Promise.resolve(),
    }),
  } as unknown as ServiceBusClient;
  const failing = createDeadLetterService({ serviceBus: () => broken, queues, topics });

  expect(await failing.replay({ queue: 'failing', max: 10 })).toEqual({
    entity: { kind: 'queue', queue: 'failing' },
    replayedIds: [],
    skippedIds: ['f-1', 'f-2'],
    failure: 'ServiceCommunicationProblem',
  });
  const left = await entity('failing');
  expect(left.messages.map((m) => m.messageId)).toEqual(['f-2', 'f-1']);
  expect(await client.createReceiver('failing').peekMessages(10)).toHaveLength(0);
});

test('keeps bodies exactly: bytes that are not JSON, and a text body', async () => {
  const bytes = Buffer.from([0, 1, 2, 254, 255]);
  await client.createSender('bodies').sendMessages([
    { messageId: 'bytes', body: bytes },
    { messageId: 'text', body: 'plain text' },
  ]);
  await deadLetterAll(client.createReceiver('bodies'), 2, 'test', 'bodies');

  expect(await service.replay({ queue: 'bodies', max: 2 })).toMatchObject({ replayedIds: ['bytes', 'text'] });
  const receiver = client.createReceiver('bodies', { receiveMode: 'receiveAndDelete' });
  const copies = await receive(receiver, 2);
  expect(copies.map((m) => [m.messageId, m.body])).toEqual([
    ['bytes~replay', bytes],
    ['text~replay', 'plain text'],
  ]);
  await receiver.close();
});

test('a subscription: listed on its own, replayed to the topic with keywardReplayFor naming it', async () => {
  await client.createSender('events').sendMessages({ messageId: 'e-1', body: { type: 'scan.completed' } });
  await deadLetterAll(client.createReceiver('events', 'alpha'), 1, 'malformed', 'alpha failed');
  const beta = client.createReceiver('events', 'beta');
  await beta.completeMessage((await receive(beta, 1))[0] as ServiceBusReceivedMessage);

  expect(await entity('events', 'alpha')).toMatchObject({ count: 1, messages: [{ messageId: 'e-1' }] });
  expect(await entity('events', 'beta')).toMatchObject({ count: 0 });

  const outcome = await service.replay({ queue: 'events', subscription: 'alpha', max: 5 });
  expect(outcome).toMatchObject({
    entity: { kind: 'subscription', queue: 'events', subscription: 'alpha' },
    replayedIds: ['e-1'],
  });
  // The topic fans the copy out to both subscriptions; the property tells beta's consumer it is not for it.
  const alpha = client.createReceiver('events', 'alpha', { receiveMode: 'receiveAndDelete' });
  for (const receiver of [alpha, beta]) {
    const [copy] = await receive(receiver, 1);
    expect(copy).toMatchObject({ messageId: 'e-1~replay', body: { type: 'scan.completed' } });
    expect(copy?.applicationProperties).toEqual({ keywardReplayFor: 'alpha' });
    if (receiver === beta) await beta.completeMessage(copy as ServiceBusReceivedMessage);
  }
  await Promise.all([alpha.close(), beta.close()]);
  expect(await deadLetters('events', 'alpha').peekMessages(10)).toHaveLength(0);
});

test('refuses undeclared entities and a topic without its subscription before touching Service Bus', async () => {
  const untouched = createDeadLetterService({
    serviceBus: () => {
      throw new Error('Service Bus must not be used');
    },
    queues,
    topics,
  });
  const status = (request: { queue: string; subscription?: string }) =>
    untouched.replay({ ...request, max: 1 }).then(
      () => 200,
      (error: unknown) => (error instanceof ApiError ? error.status : 500),
    );
  expect(await status({ queue: 'nope' })).toBe(404);
  expect(await status({ queue: 'events' })).toBe(400);
  expect(await status({ queue: 'events', subscription: 'gamma' })).toBe(404);
  expect(await status({ queue: 'listed', subscription: 'alpha' })).toBe(400);
});

test('an entity that cannot be read is reported with its error code; the others are still listed', async () => {
  const missing: TopicSpec = {
    name: 'not-there',
    duplicateDetectionWindowSeconds: 60,
    subscriptions: [subscription('alpha')],
  };
  const partial = createDeadLetterService({ serviceBus: () => client, queues: [queue('listed')], topics: [missing] });
  const { entities } = await partial.list();
  expect(entities).toEqual([
    expect.objectContaining({ queue: 'listed', count: 1 }),
    {
      queue: 'not-there',
      subscription: 'alpha',
      count: 0,
      countIsLowerBound: false,
      messages: [],
      error: 'MessagingEntityNotFound',
    },
  ]);
});
