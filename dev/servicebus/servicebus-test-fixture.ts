import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import type { QueueSpec } from '../../shared/config/queues';
import type { TopicSpec } from '../../shared/config/topics';
import type { Clock } from '../../shared/time/clock';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from './servicebus-emulator';

/** An emulator with the named queues (and any topics) and a real SDK client on it, for fidelity tests. */
export interface EmulatorFixture {
  readonly emulator: RunningServiceBusEmulator;
  readonly client: ServiceBusClient;
  stop(): Promise<void>;
}

export async function startEmulatorFixture(options: {
  queues: readonly string[];
  maxDeliveryCount: number;
  clock: Clock;
  topics?: readonly TopicSpec[];
}): Promise<EmulatorFixture> {
  const spec = (name: string): QueueSpec => ({
    name,
    maxDeliveryCount: options.maxDeliveryCount,
    lockDurationSeconds: 30,
    duplicateDetectionWindowSeconds: 60,
  });
  const emulator = await startServiceBusEmulator({
    queues: options.queues.map(spec),
    topics: options.topics,
    clock: options.clock,
  });
  const client = new ServiceBusClient(emulator.connectionString);
  return {
    emulator,
    client,
    async stop() {
      await client.close();
      await emulator.stop();
    },
  };
}

/** Waits (in 10 s receive calls) until the receiver gets a message; the test's own timeout bounds it. */
export async function receiveOne(receiver: ServiceBusReceiver): Promise<ServiceBusReceivedMessage> {
  for (;;) {
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 10_000 });
    if (message) return message;
  }
}
