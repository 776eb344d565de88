import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from '../../dev/servicebus/servicebus-emulator';
import { startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { HOST_FIXTURE_APP } from '../support/host-fixture';

// app.serviceBusTopic registrations run like queue triggers: one listener per subscription, each settling its own copy.
const FLAKY_MAX_DELIVERIES = 2;
const TOPIC = {
  name: 'events',
  duplicateDetectionWindowSeconds: 60,
  subscriptions: [
    { name: 'audit', maxDeliveryCount: 10, lockDurationSeconds: 30 },
    { name: 'flaky', maxDeliveryCount: FLAKY_MAX_DELIVERIES, lockDurationSeconds: 30 },
  ],
};

interface FixtureEvent {
  readonly kind: string;
  readonly [key: string]: unknown;
}

let emulator: RunningServiceBusEmulator;
let host: HostProcess;
let client: ServiceBusClient;

beforeAll(async () => {
  // The fixture's queue triggers get their queues too, so every listener is live when the host stops.
  const queues = ['poison', 'slow'].map((name) => ({
    name,
    maxDeliveryCount: 10,
    lockDurationSeconds: 30,
    duplicateDetectionWindowSeconds: 60,
  }));
  emulator = await startServiceBusEmulator({ queues, topics: [TOPIC] });
  host = await startHostProcess({
    appDir: HOST_FIXTURE_APP,
    // The topic and one subscription name come from %SETTING% binding expressions, as Keyward's bindings may.
    env: { SB: emulator.connectionString, EVENTS_TOPIC: 'events', AUDIT_SUBSCRIPTION: 'audit' },
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

/** Peeks a subscription with a client of its own (the SDK's peek resumes after what its connection last peeked). */
async function peekAll(subscription: string, subQueueType?: 'deadLetter'): Promise<ServiceBusReceivedMessage[]> {
  const peekClient = new ServiceBusClient(emulator.connectionString);
  try {
    return await peekClient.createReceiver('events', subscription, { subQueueType }).peekMessages(10);
  } finally {
    await peekClient.close();
  }
}

describe('local host: Service Bus topic triggers', () => {
  it('runs each subscription trigger on its own copy, with the trigger metadata of a queue trigger', async () => {
    const sender = client.createSender('events');
    await sender.sendMessages({
      body: { event: 'scan.completed' },
      messageId: 'evt-1',
      correlationId: 'corr-1',
      applicationProperties: { eventType: 'scan.completed' },
    });
    await sender.close();

    const all = await waitForEvents(
      (e) =>
        e.some((x) => x.kind === 'topicAudit') &&
        e.filter((x) => x.kind === 'topicFlaky').length >= FLAKY_MAX_DELIVERIES,
    );
    expect(all.filter((x) => x.kind === 'topicAudit')).toEqual([
      expect.objectContaining({
        message: { event: 'scan.completed' },
        deliveryCount: 1,
        messageId: 'evt-1',
        correlationId: 'corr-1',
        applicationProperties: { eventType: 'scan.completed' },
      }),
    ]);
    // The failing subscription's copy is abandoned, redelivered with a rising count, then dead-lettered there only.
    expect(all.filter((x) => x.kind === 'topicFlaky').map((x) => x.deliveryCount)).toEqual([1, 2]);
    for (;;) {
      const [dead] = await peekAll('flaky', 'deadLetter');
      if (dead) {
        expect(dead).toMatchObject({ messageId: 'evt-1', deadLetterReason: 'MaxDeliveryCountExceeded' });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(host.output()).toMatch(/ERROR \[topicFlaky [0-9a-f-]{36}\][\s\S]*flaky subscriber failed \(delivery 1\)/);

    // The audit copy was completed: nothing is left on that subscription, nor in its dead-letter queue.
    while ((await peekAll('audit')).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await peekAll('audit', 'deadLetter')).toHaveLength(0);
    expect(await peekAll('flaky')).toHaveLength(0);
  });

  it('stops cleanly with subscription receivers open (exit 0)', async () => {
    await host.stop();
    expect(await host.exited).toBe(0);
  });
});
