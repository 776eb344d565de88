import { app, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { queues } from '../../shared/config/queues';
import { runtime } from '../../shared/runtime/runtime';
import { channelTypes } from '../../shared/notify/notify-schemas';
import { channelQueues } from '../../shared/notify/notify-queues';

/**
 * Notification registrations: the evaluation after each scan (`scan-completed`) and one worker per channel
 * queue. Heavy modules (storage, SDKs, nodemailer) load on the first invocation, not at cold start.
 */
const services = (): typeof import('../../shared/notify/notify-runtime') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../shared/notify/notify-runtime');
const evaluation = (): typeof import('../../shared/notify/scan-evaluation') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../shared/notify/scan-evaluation');

const scanCompletedSchema = z.object({
  scanId: z.string().min(1).max(128),
  completedAt: z.iso.datetime({ offset: true }),
  unreachablePartitions: z.array(z.string().max(300)).default([]),
});

/** A malformed message never succeeds: it is logged once and completed, as the scan workers do. */
function parseOrDrop<T>(schema: z.ZodType<T>, message: unknown, context: InvocationContext): T | null {
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  context.error(`${context.functionName}: malformed message dropped (${parsed.error.issues.length} issue(s))`);
  return null;
}

app.serviceBusQueue('notifyScanCompleted', {
  connection: 'ServiceBusConnection',
  queueName: queues.scanCompleted.name,
  handler: async (message, context) => {
    const scan = parseOrDrop(scanCompletedSchema, message, context);
    if (!scan) return;
    const result = await evaluation().evaluateScan(services().notifyServices(runtime()).evaluationDeps(), scan);
    context.log(
      `scan ${scan.scanId}: ${result.events} notification event(s), ${result.deliveries} delivery message(s)`,
    );
  },
});

app.timer('notifyDigest', {
  schedule: '%NOTIFY_DIGEST_SCHEDULE%',
  handler: async (_timer, context) => {
    const sent = await services().notifyServices(runtime()).flushDigests();
    context.log(`digest: ${sent} delivery message(s)`);
  },
});

for (const channel of channelTypes) {
  const queue = queues[channelQueues[channel]];
  app.serviceBusQueue(`notify${channel[0]?.toUpperCase() ?? ''}${channel.slice(1)}`, {
    connection: 'ServiceBusConnection',
    queueName: queue.name,
    handler: async (message, context) => {
      const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
      try {
        await services().notifyServices(runtime()).worker(message, deliveryCount);
      } catch (error) {
        if (error instanceof z.ZodError) {
          context.error(`${context.functionName}: malformed delivery message dropped`);
          return;
        }
        throw error;
      }
    },
  });
}
