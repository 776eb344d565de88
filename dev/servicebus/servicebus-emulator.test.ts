import { ServiceBusClient } from '@azure/service-bus';
import { connect } from 'node:net';
import { startServiceBusEmulator } from './servicebus-emulator';

// Emulator lifecycle and the default (system) clock, driven through the real @azure/service-bus SDK.
jest.setTimeout(60_000);

const queue = { name: 'work', maxDeliveryCount: 5, lockDurationSeconds: 1, duplicateDetectionWindowSeconds: 60 };

test('with the system clock a short lock expires on its own and the message is redelivered', async () => {
  const emulator = await startServiceBusEmulator({ queues: [queue] });
  const client = new ServiceBusClient(emulator.connectionString);
  try {
    await client.createSender('work').sendMessages({ body: 'x', messageId: 'w-1' });
    const receiver = client.createReceiver('work', { maxAutoLockRenewalDurationInMs: 0 });
    const deliveries: (number | undefined)[] = [];
    while (deliveries.length < 2) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 10_000 });
      if (message) deliveries.push(message.deliveryCount);
    }
    expect(deliveries).toEqual([0, 1]);
  } finally {
    await client.close();
    await emulator.stop();
  }
});

test('stop() closes live client connections and the listener', async () => {
  const emulator = await startServiceBusEmulator({ queues: [queue] });
  const client = new ServiceBusClient(emulator.connectionString);
  await client.createSender('work').sendMessages({ body: 'x' });
  await emulator.stop();
  // The client saw a clean AMQP close, so closing it afterwards completes.
  await client.close();
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(emulator.port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
  expect(refused).toBe('ECONNREFUSED');
});

test('a message dropped as a duplicate is recorded, so a test sees the drop instead of waiting for silence', async () => {
  const emulator = await startServiceBusEmulator({ queues: [queue] });
  const client = new ServiceBusClient(emulator.connectionString);
  try {
    const sender = client.createSender('work');
    await sender.sendMessages({ body: 'a', messageId: 'dup-1' });
    await sender.sendMessages({ body: 'b', messageId: 'dup-1' });
    await sender.sendMessages({ body: 'c', messageId: 'dup-2' });
    expect(emulator.droppedDuplicates()).toEqual([{ entity: 'work', messageId: 'dup-1' }]);
    const receiver = client.createReceiver('work', { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    while (bodies.length < 2) {
      for (const m of await receiver.receiveMessages(2, { maxWaitTimeInMs: 5_000 })) bodies.push(m.body);
    }
    expect(bodies).toEqual(['a', 'c']);
  } finally {
    await client.close();
    await emulator.stop();
  }
});

test('a receiver that vanishes keeps its lock until it expires; then the message comes back with deliveryCount 1', async () => {
  const emulator = await startServiceBusEmulator({ queues: [{ ...queue, lockDurationSeconds: 2 }] });
  const victim = new ServiceBusClient(emulator.connectionString);
  const survivor = new ServiceBusClient(emulator.connectionString);
  try {
    await survivor.createSender('work').sendMessages({ body: 'unit', messageId: 'held-1' });
    const [held] = await victim
      .createReceiver('work', { maxAutoLockRenewalDurationInMs: 0 })
      .receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(held?.deliveryCount).toBe(0);
    // The holder goes away without settling (as a killed process does): Service Bus does not release the lock.
    await victim.close();
    const receiver = survivor.createReceiver('work', { maxAutoLockRenewalDurationInMs: 0 });
    const [early] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 });
    expect(early).toBeUndefined();
    expect(emulator.expiredLocks('work')).toBe(0);
    let again: Awaited<ReturnType<typeof receiver.receiveMessages>>[number] | undefined;
    while (!again) [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
    expect(again.messageId).toBe('held-1');
    expect(again.deliveryCount).toBe(1);
    expect(emulator.expiredLocks('work')).toBe(1);
    await receiver.completeMessage(again);
  } finally {
    await survivor.close();
    await emulator.stop();
  }
});
