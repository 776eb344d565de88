import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from '../../dev/servicebus/servicebus-emulator';
import { startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { HOST_FIXTURE_APP } from '../support/host-fixture';

const POISON_MAX_DELIVERIES = 3;
const QUEUES = [
  { name: 'work-ok', maxDeliveryCount: 10, lockDurationSeconds: 30, duplicateDetectionWindowSeconds: 60 },
  { name: 'work-out', maxDeliveryCount: 10, lockDurationSeconds: 30, duplicateDetectionWindowSeconds: 60 },
  {
    name: 'poison',
    maxDeliveryCount: POISON_MAX_DELIVERIES,
    lockDurationSeconds: 30,
    duplicateDetectionWindowSeconds: 60,
  },
  // A short lock, so a handler that outlives it needs the host's lock renewal.
  { name: 'slow', maxDeliveryCount: 10, lockDurationSeconds: 2, duplicateDetectionWindowSeconds: 60 },
] as const;
/** host.json of the fixture: extensions.serviceBus.maxConcurrentCalls. */
const MAX_CONCURRENT_CALLS = 4;

interface FixtureEvent {
  readonly kind: string;
  readonly [key: string]: unknown;
}

let emulator: RunningServiceBusEmulator;
let host: HostProcess;
let client: ServiceBusClient;

beforeAll(async () => {
  emulator = await startServiceBusEmulator({ queues: QUEUES });
  host = await startHostProcess({
    appDir: HOST_FIXTURE_APP,
    // The ok queue's name comes from a %SETTING%, as Keyward's bindings do.
    env: { SB: emulator.connectionString, QUEUE_OK: 'work-ok', QUEUE_OUT: 'work-out', TICK_SCHEDULE: '0 0 0 1 1 *' },
  });
  client = new ServiceBusClient(emulator.connectionString);
});

afterAll(async () => {
  await client?.close();
  await host?.stop();
  await emulator?.stop();
});

async function waitForEvents(predicate: (all: FixtureEvent[]) => boolean): Promise<FixtureEvent[]> {
  for (;;) {
    const all = (await (await fetch(`${host.url}/api/public/state`)).json()) as FixtureEvent[];
    if (predicate(all)) return all;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function receiveAll(
  queue: string,
  count: number,
  subQueueType?: 'deadLetter',
): Promise<ServiceBusReceivedMessage[]> {
  const receiver = client.createReceiver(queue, { receiveMode: 'receiveAndDelete', subQueueType });
  const received: ServiceBusReceivedMessage[] = [];
  try {
    while (received.length < count) {
      received.push(...(await receiver.receiveMessages(count - received.length, { maxWaitTimeInMs: 5000 })));
    }
  } finally {
    await receiver.close();
  }
  return received;
}

describe('local host: Service Bus queue triggers', () => {
  it('consumes a message sent with the SDK, with the extension trigger metadata, completes it and sends outputs', async () => {
    const sender = client.createSender('work-ok');
    await sender.sendMessages({ body: { job: 42 }, messageId: 'msg-ok-1', applicationProperties: { origin: 'test' } });
    await sender.close();

    const all = await waitForEvents((e) => e.some((x) => x.kind === 'consume'));
    const consumed = all.find((x) => x.kind === 'consume');
    expect(consumed).toMatchObject({
      message: { job: 42 },
      deliveryCount: 1,
      messageId: 'msg-ok-1',
      applicationProperties: { origin: 'test' },
    });
    expect(Number.isNaN(Date.parse(String(consumed?.enqueuedTimeUtc)))).toBe(false);

    // The output binding's array became two messages on the output queue.
    const forwarded = await receiveAll('work-out', 2);
    expect(forwarded.map((m) => m.body as unknown)).toEqual([{ forwarded: { job: 42 } }, 'second']);

    // Completed: nothing is left on the input queue, not even locked.
    const peeker = client.createReceiver('work-ok');
    const left = await peeker.peekMessages(10);
    await peeker.close();
    expect(left).toHaveLength(0);
  });

  it('abandons a failing message so it is redelivered with a rising deliveryCount, then dead-lettered', async () => {
    const sender = client.createSender('poison');
    await sender.sendMessages({ body: 'bad input', messageId: 'msg-poison-1' });
    await sender.close();

    const all = await waitForEvents((e) => e.filter((x) => x.kind === 'poison').length >= POISON_MAX_DELIVERIES);
    const counts = all.filter((x) => x.kind === 'poison').map((x) => x.deliveryCount);
    expect(counts).toEqual([1, 2, 3]);

    const [dead] = await receiveAll('poison', 1, 'deadLetter');
    expect(dead?.messageId).toBe('msg-poison-1');
    expect(dead?.body).toBe('bad input');
    expect(host.output()).toMatch(/ERROR \[poison [0-9a-f-]{36}\][\s\S]*poison message rejected \(delivery 1\)/);
  });

  it('runs at most maxConcurrentCalls handlers at once, and renews locks while a handler outlives its lock', async () => {
    const sender = client.createSender('slow');
    const quick = Array.from({ length: 8 }, (_, i) => ({ body: { id: `quick-${i}`, ms: 300 } }));
    await sender.sendMessages([{ body: { id: 'long', ms: 5000 } }, ...quick]);
    await sender.close();

    const all = await waitForEvents((e) => e.filter((x) => x.kind === 'slowDone').length >= 9);
    const starts = all.filter((x) => x.kind === 'slowStart');
    const concurrency = Math.max(...starts.map((x) => Number(x.concurrent)));
    expect(concurrency).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS);
    expect(concurrency).toBeGreaterThan(1);
    // The 5 s handler held a 2 s lock: renewal kept it from being redelivered.
    expect(starts.filter((x) => x.id === 'long')).toEqual([expect.objectContaining({ deliveryCount: 1 })]);
    expect(starts).toHaveLength(9);

    const peeker = client.createReceiver('slow');
    const left = await peeker.peekMessages(10);
    await peeker.close();
    expect(left).toHaveLength(0);
  });

  it('stops cleanly with receivers open (exit 0)', async () => {
    await host.stop();
    expect(await host.exited).toBe(0);
  });
});
