import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceBusClient } from '@azure/service-bus';
import { queueList } from '../../shared/config/queues';
import { topicList } from '../../shared/config/topics';
import { REPLAY_FOR_PROPERTY } from '../../shared/events/event-consumer';
import type { DeadLetterList } from '../../shared/system/dead-letter-types';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

/**
 * A malformed message on every queue and every subscription the app consumes is never dropped: its worker refuses
 * it (MalformedMessageError), the broker redelivers it up to the entity's max delivery count and then moves it to
 * the entity's dead-letter queue; the dead-letter API shows it with reason `malformed` and the schema issues (the
 * app's record, beside the broker's MaxDeliveryCountExceeded), and a replay sends it back once.
 */
interface Entity {
  readonly queue: string;
  readonly subscription?: string;
  readonly maxDeliveryCount: number;
}

const entities: Entity[] = [
  ...queueList.map((q) => ({ queue: q.name, maxDeliveryCount: q.maxDeliveryCount })),
  ...topicList.flatMap((t) =>
    t.subscriptions.map((s) => ({ queue: t.name, subscription: s.name, maxDeliveryCount: s.maxDeliveryCount })),
  ),
];
const label = (e: Entity): string => (e.subscription ? `${e.queue}/${e.subscription}` : e.queue);

describe('malformed messages end in their dead-letter queue', () => {
  let stack: KeywardStack;
  let bus: ServiceBusClient;
  let admin: string;

  beforeAll(async () => {
    stack = await startKeywardStack({ env: { KEYWARD_RATE_LIMIT_EXPENSIVE: '1000' } });
    bus = new ServiceBusClient(stack.serviceBus.connectionString);
    admin = await stack.signIn({ email: 'admin@example.com', name: 'Admin', roles: ['admin'] });
  });
  afterAll(async () => {
    await bus?.close();
    await stack?.stop();
  });

  // A fresh client per look: the SDK's peek resumes after the last message this connection peeked on the entity.
  const deadLetters = async (e: Entity) => {
    const client = new ServiceBusClient(stack.serviceBus.connectionString);
    const receiver = e.subscription
      ? client.createReceiver(e.queue, e.subscription, { subQueueType: 'deadLetter' })
      : client.createReceiver(e.queue, { subQueueType: 'deadLetter' });
    try {
      return await receiver.peekMessages(50);
    } finally {
      await client.close();
    }
  };

  /**
   * Bounded polling on the dead-letter queue until it holds exactly the ids wanted. A topic with several
   * subscriptions gives each a copy, so another subscription's test leaves its own copies here: only this
   * entity's test messages count.
   */
  const waitForDeadLetters = async (e: Entity, ids: readonly string[]) => {
    const mine = `malformed-${label(e).replace(/\//g, '-')}`;
    for (let poll = 0; poll < 600; poll++) {
      const found = (await deadLetters(e)).filter((m) => String(m.messageId).startsWith(mine));
      if (
        found
          .map((m) => String(m.messageId))
          .sort()
          .join() === [...ids].sort().join()
      )
        return found;
      await sleep(100);
    }
    throw new Error(`${label(e)}: dead letters never became ${ids.join()}\n${stack.host.output().slice(-2000)}`);
  };

  /** Empties an entity's dead-letter queue: a sibling subscription's test leaves its copies there. */
  const purgeDeadLetters = async (e: Entity) => {
    const receiver = e.subscription
      ? bus.createReceiver(e.queue, e.subscription, { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' })
      : bus.createReceiver(e.queue, { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
    try {
      while ((await receiver.receiveMessages(50, { maxWaitTimeInMs: 500 })).length > 0);
    } finally {
      await receiver.close();
    }
  };

  it.each(entities.map((e) => [label(e), e] as const))('%s', async (_name, e) => {
    await purgeDeadLetters(e);
    const id = `malformed-${label(e).replace(/\//g, '-')}`;
    // On a topic, the copy is marked for this subscription only (as a dead-letter replay marks it): the topic's
    // other subscriptions skip it, so each dead-letter queue holds only its own case.
    await bus.createSender(e.queue).sendMessages({
      messageId: id,
      body: { not: 'a message this worker knows' },
      ...(e.subscription ? { applicationProperties: { [REPLAY_FOR_PROPERTY]: e.subscription } } : {}),
    });

    const [dead] = await waitForDeadLetters(e, [id]);
    expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    // Every delivery reached the worker and was refused (not completed, not dropped).
    expect(dead?.deliveryCount).toBe(e.maxDeliveryCount);
    expect(stack.host.output()).toContain('malformed');

    const list = await fetch(`${stack.url}/api/system/dead-letters`, { headers: { cookie: admin } });
    const listed = ((await list.json()) as DeadLetterList).entities;
    const row = listed.find((r) => r.queue === e.queue && (r.subscription ?? undefined) === e.subscription);
    const listedHere = row?.messages.filter((m) => m.messageId.startsWith('malformed-' + label(e).replace(/\//g, '-')));
    expect(listedHere?.map((m) => m.messageId)).toEqual([id]);
    // The listing says why: the worker's diagnosis (schema paths and issue codes, never a value), then the broker's.
    expect(listedHere?.[0]?.reason).toBe('malformed');
    expect(listedHere?.[0]?.description).toMatch(
      /^malformed [a-z.-]+ message: .+: [a-z_]+.*\(Service Bus: MaxDeliveryCountExceeded\)$/,
    );
    expect(listedHere?.[0]?.description).not.toContain('a message this worker knows');

    const query = e.subscription ? `?subscription=${e.subscription}` : '';
    const replay = await fetch(`${stack.url}/api/system/dead-letters/${e.queue}/replay${query}`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ max: 10 }),
    });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { replayed: number }).replayed).toBe(1);
    // Back once: the worker refuses the replayed copy again, and only that copy is dead-lettered (the original left).
    const [again] = await waitForDeadLetters(e, [`${id}~replay`]);
    expect(again?.deliveryCount).toBe(e.maxDeliveryCount);
  });
});
