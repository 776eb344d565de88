import { randomUUID } from 'node:crypto';
import { ServiceBusClient } from '@azure/service-bus';
import { queueList } from '../../shared/config/queues';
import { topicList, topics } from '../../shared/config/topics';
import type { DeadLetterEntityView, DeadLetterList } from '../../shared/system/dead-letter-types';
import { DEAD_LETTER_QUEUE, deadLetterSlackDelivery, waitFor, workerFailed } from '../support/dead-letters';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

/**
 * Dead letters through the host, the emulator and the real SDK. The queue is notify-slack, whose worker can only fail
 * the test's deliveries and records them (test/support/dead-letters.ts). The subscription is scan-events/notify: its
 * consumer refuses a malformed event, so the broker dead-letters it after max delivery count, and dead-letters a
 * replayed copy the same way, under the copy's own id.
 */
const QUEUE = DEAD_LETTER_QUEUE;
const TOPIC = topics.scanEvents;
const SUBSCRIPTION = 'notify';

interface AuditEntry {
  readonly action: string;
  readonly target: string;
  readonly outcome: string;
  readonly actor: { readonly type: string; readonly id: string; readonly name: string };
  readonly details: Record<string, unknown>;
  readonly correlationId: string;
}

describe('dead letters: list and replay through the host', () => {
  let stack: KeywardStack;
  let client: ServiceBusClient;
  const cookies: Record<'admin' | 'operator' | 'reader', string> = { admin: '', operator: '', reader: '' };

  beforeAll(async () => {
    // Replay is an `expensive` route (10 a minute per caller by default); this test calls it more often.
    stack = await startKeywardStack({ env: { KEYWARD_RATE_LIMIT_EXPENSIVE: '1000' } });
    client = new ServiceBusClient(stack.serviceBus.connectionString);
    for (const role of ['admin', 'operator', 'reader'] as const) {
      cookies[role] = await stack.signIn({ email: `${role}@example.com`, name: `The ${role}`, roles: [role] });
    }
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  const call = async (
    who: keyof typeof cookies,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        cookie: cookies[who],
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };

  const list = async (): Promise<DeadLetterList> => {
    const { status, text } = await call('admin', 'GET', '/api/system/dead-letters');
    expect(status).toBe(200);
    return JSON.parse(text) as DeadLetterList;
  };

  const listed = async (queue: string, subscription?: string): Promise<DeadLetterEntityView | undefined> =>
    (await list()).entities.find((e) => e.queue === queue && e.subscription === subscription);

  const replay = (path: string, max = 10, headers: Record<string, string> = {}) =>
    call('admin', 'POST', `/api/system/dead-letters/${path}`, { max }, headers);

  const audit = async (action: string): Promise<AuditEntry[]> => {
    const { status, text } = await call('admin', 'GET', `/api/audit?action=${action}&limit=200`);
    expect(status).toBe(200);
    return (JSON.parse(text) as { entries: AuditEntry[] }).entries;
  };

  const getJson = async (path: string): Promise<unknown> => {
    const { status, text } = await call('admin', 'GET', path);
    expect(status).toBe(200);
    return JSON.parse(text) as unknown;
  };

  it('lets only admins list or replay, and refuses undeclared entities and bad input without a replay', async () => {
    for (const who of ['reader', 'operator'] as const) {
      expect((await call(who, 'GET', '/api/system/dead-letters')).status).toBe(403);
      expect((await call(who, 'POST', `/api/system/dead-letters/${QUEUE}/replay`, { max: 1 })).status).toBe(403);
    }
    const before = (await audit('system.deadLetters.replayed')).length;
    const refused = await Promise.all([
      replay('no-such-queue/replay'),
      replay(`${TOPIC.name}/replay`),
      replay(`${TOPIC.name}/replay?subscription=nobody`),
      replay(`${QUEUE}/replay?subscription=${SUBSCRIPTION}`),
      replay(`${QUEUE}/replay`, 0),
      replay(`${QUEUE}/replay`, 101),
      call('admin', 'POST', `/api/system/dead-letters/${QUEUE}/replay`, { max: 1, extra: true }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([404, 400, 404, 400, 400, 400, 400]);
    expect(JSON.parse(refused[1]?.text ?? '{}')).toMatchObject({ error: 'invalid_request' });
    expect((await audit('system.deadLetters.replayed')).length).toBe(before);
  });

  it('lists a dead-lettered delivery (metadata, never the body); replay sends it back to its worker, once', async () => {
    const marker = `body-marker-${randomUUID()}`;
    const original = await deadLetterSlackDelivery(client, getJson, {
      marker,
      reason: 'held-by-test',
      description: `Dead-lettered by the test to replay it later. ${'x'.repeat(600)}`,
    });
    const key = String(original.messageId);

    const all = await list();
    expect(all.entities.map((e) => [e.queue, e.subscription])).toEqual([
      ...queueList.map((q) => [q.name, undefined]),
      ...topicList.flatMap((t) => t.subscriptions.map((s) => [t.name, s.name])),
    ]);
    expect(all.entities.filter((e) => e.error)).toEqual([]);
    expect(all.entities.find((e) => e.queue === QUEUE)).toEqual({
      queue: QUEUE,
      count: 1,
      countIsLowerBound: false,
      messages: [
        {
          messageId: key,
          reason: 'held-by-test',
          description: `Dead-lettered by the test to replay it later. ${'x'.repeat(600)}`.slice(0, 500),
          enqueuedAt: original.enqueuedTimeUtc?.toISOString(),
          deliveryCount: 0,
          correlationId: `corr-${key}`,
          subject: 'delivery',
        },
      ],
    });
    expect(JSON.stringify(all)).not.toContain(marker);

    const first = await replay(`${QUEUE}/replay`, 5, { 'x-correlation-id': `replay-${key}` });
    expect({ status: first.status, body: JSON.parse(first.text) as unknown }).toEqual({
      status: 200,
      body: { replayed: 1, skipped: 0 },
    });
    // The copy reached the worker: it recorded the delivery it could not make, under the original delivery key.
    await waitFor(`the worker's record of ${key}`, () => workerFailed(getJson, key));
    expect(await listed(QUEUE)).toMatchObject({ count: 0, messages: [] });
    const deadLetters = client.createReceiver(QUEUE, { subQueueType: 'deadLetter' });
    expect(await deadLetters.peekMessages(10)).toHaveLength(0);
    await deadLetters.close();

    const second = await replay(`${QUEUE}/replay`);
    expect({ status: second.status, body: JSON.parse(second.text) as unknown }).toEqual({
      status: 200,
      body: { replayed: 0, skipped: 0 },
    });

    const entries = (await audit('system.deadLetters.replayed')).filter((e) => e.target === `queue/${QUEUE}`);
    const replayed = entries.find((e) => e.correlationId === `replay-${key}`);
    expect(replayed).toMatchObject({
      outcome: 'success',
      actor: { type: 'user', name: 'admin@example.com' },
      details: { queue: QUEUE, max: 5, replayed: 1, skipped: 0, messageIds: [key], skippedMessageIds: [] },
    });
    expect(entries.some((e) => e.details.replayed === 0 && e.details.max === 10)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(marker);
  });

  it("replays a subscription's dead letter to its topic, for that subscription", async () => {
    const id = `malformed-event-${randomUUID()}`;
    const sender = client.createSender(TOPIC.name);
    await sender.sendMessages({ messageId: id, body: { not: 'an event envelope' }, contentType: 'application/json' });
    await sender.close();
    // The notify consumer refuses it on every delivery; the broker dead-letters it at max delivery count.
    const maxDeliveryCount = TOPIC.subscriptions.find((s) => s.name === SUBSCRIPTION)?.maxDeliveryCount;
    const dead = await waitFor(`${id} dead-lettered`, async () => {
      const entity = await listed(TOPIC.name, SUBSCRIPTION);
      return entity?.messages.some((m) => m.messageId === id) ? entity : undefined;
    });
    expect(dead.error).toBeUndefined();
    // The worker's diagnosis stands beside the broker's reason (the trigger binding cannot dead-letter with its own).
    expect(dead.messages.find((m) => m.messageId === id)).toMatchObject({
      reason: 'malformed',
      description: expect.stringContaining('(Service Bus: MaxDeliveryCountExceeded)'),
      deliveryCount: maxDeliveryCount,
    });

    const result = await replay(`${TOPIC.name}/replay?subscription=${SUBSCRIPTION}`, 100);
    expect({ status: result.status, body: JSON.parse(result.text) as unknown }).toEqual({
      status: 200,
      body: { replayed: dead.count, skipped: 0 },
    });
    // The copy went through the topic to the subscription, whose consumer refused it again: it is back under its own
    // id, and the original is gone.
    const after = await waitFor(`${id}~replay dead-lettered`, async () => {
      const entity = await listed(TOPIC.name, SUBSCRIPTION);
      return entity?.messages.some((m) => m.messageId === `${id}~replay`) ? entity : undefined;
    });
    expect(after.messages.map((m) => m.messageId)).not.toContain(id);
    expect(after.messages.find((m) => m.messageId === `${id}~replay`)).toMatchObject({
      reason: 'malformed',
      deliveryCount: maxDeliveryCount,
    });

    const entry = (await audit('system.deadLetters.replayed')).find(
      (e) => e.target === `subscription/${TOPIC.name}/${SUBSCRIPTION}`,
    );
    expect(entry?.details).toMatchObject({ queue: TOPIC.name, subscription: SUBSCRIPTION, messageIds: [id] });
  });
});
