import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceBusClient, ServiceBusReceivedMessage } from '@azure/service-bus';
import { queues } from '../../shared/config/queues';
import type { DeliveryMessage } from '../../shared/notify/notify-schemas';

/**
 * Putting a message in a dead-letter queue through the host. The queue is notify-slack: its worker records a delivery
 * whose Slack channel is not configured (as in the test stacks) as failed in the delivery history, without any
 * network, under the message's delivery key. That record is the positive evidence of who consumed a message: the
 * host's worker, or (no record) the test's own receiver.
 */
export const DEAD_LETTER_QUEUE = queues.notifySlack.name;

/** Polls until `probe` finds something (bounded: 600 polls), or until `signal` says another path won. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, signal?: AbortSignal): Promise<T> {
  for (let poll = 0; poll < 600; poll++) {
    const found = await probe();
    if (found !== undefined) return found;
    if (signal?.aborted) return new Promise<T>(() => undefined);
    await sleep(100);
  }
  throw new Error(`Gave up waiting for ${what}`);
}

/** A Slack delivery the worker can only fail; `teamName` marks the body. */
export function slackDelivery(deliveryKey: string, marker: string): DeliveryMessage {
  return {
    v: 1,
    deliveryKey,
    channel: 'slack',
    destination: { kind: 'channel', channel: 'slack' },
    alertType: 'secret_expiring',
    teamName: marker,
    scanId: 'scan-dead-letter-test',
    createdAt: new Date().toISOString(),
    events: [],
    test: false,
  };
}

/** Whether the host's worker recorded the delivery as failed, through `GET /api/alerts/history` as `getJson` calls it. */
export async function workerFailed(
  getJson: (path: string) => Promise<unknown>,
  deliveryKey: string,
): Promise<true | undefined> {
  const { deliveries } = (await getJson('/api/alerts/history?channel=slack&status=failed&limit=500')) as {
    deliveries: { deliveryId: string }[];
  };
  return deliveries.some((d) => d.deliveryId === deliveryKey) ? true : undefined;
}

/**
 * Takes one Slack delivery off its queue before the host's worker does, and dead-letters it. The host listens on the
 * queue too, and the broker hands each message to one receiver with credit in turn; one receive stays open across
 * attempts, so this receiver keeps its credit, and a message the host took instead shows up in the history.
 */
export async function deadLetterSlackDelivery(
  client: ServiceBusClient,
  getJson: (path: string) => Promise<unknown>,
  dead: { readonly marker: string; readonly reason: string; readonly description: string },
): Promise<ServiceBusReceivedMessage> {
  const receiver = client.createReceiver(DEAD_LETTER_QUEUE, { maxAutoLockRenewalDurationInMs: 0 });
  const sender = client.createSender(DEAD_LETTER_QUEUE);
  const mine = receiver.receiveMessages(1, { maxWaitTimeInMs: 600_000 }).then(([message]) => ({ message }));
  try {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const key = `dead-letter-test-${attempt}-${randomUUID()}`;
      await sender.sendMessages({
        messageId: key,
        body: slackDelivery(key, dead.marker),
        contentType: 'application/json',
        correlationId: `corr-${key}`,
        subject: 'delivery',
        applicationProperties: { origin: 'dead-letter-test' },
      });
      const host = new AbortController();
      const winner = await Promise.race([
        mine,
        waitFor(`the host's record of ${key}`, () => workerFailed(getJson, key), host.signal).then(() => null),
      ]);
      host.abort();
      if (winner === null) continue;
      const { message } = winner;
      if (message?.messageId !== key) throw new Error(`Received ${String(message?.messageId)} instead of ${key}`);
      await receiver.deadLetterMessage(message, {
        deadLetterReason: dead.reason,
        deadLetterErrorDescription: dead.description,
      });
      return message;
    }
    throw new Error("The host's worker took every delivery");
  } finally {
    await Promise.all([receiver.close(), sender.close()]);
  }
}
