import { app, type InvocationContext } from '@azure/functions';
import { queues } from '../../shared/config/queues';
import { runtime } from '../../shared/runtime/runtime';

/**
 * Scan registrations: the schedule, the plan worker and the unit (vault / app registrations) worker. Each parses
 * its message, calls one service and lets the host complete the message only when the work is done; an exception
 * (a malformed message included) abandons it for redelivery, and past the queue's max delivery count the broker
 * dead-letters it. The scan modules (storage and Azure SDKs) load on first invocation, not at cold start.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobs = (): typeof import('../../shared/scan/scan-jobs') => require('../../shared/scan/scan-jobs');

const lastAttempt = (context: InvocationContext, maxDeliveryCount: number): boolean => {
  const count = Number(context.triggerMetadata?.deliveryCount ?? 1);
  return Number.isFinite(count) && count >= maxDeliveryCount;
};

app.timer('scanSchedule', {
  schedule: '%SCAN_SCHEDULE%',
  handler: async (_timer, context) => {
    context.log(
      `scheduled scan ${(await jobs().startScheduledScan(runtime().scan(), runtime().scheduledWork)) ?? 'skipped (licence)'}`,
    );
  },
});

app.serviceBusQueue('scanPlan', {
  connection: 'ServiceBusConnection',
  queueName: queues.scanPlan.name,
  handler: (message, context) =>
    jobs().runPlan(
      runtime().scan(),
      message,
      lastAttempt(context, queues.scanPlan.maxDeliveryCount),
      runtime().scheduledWork,
    ),
});

app.serviceBusQueue('scanUnit', {
  connection: 'ServiceBusConnection',
  queueName: queues.scanVault.name,
  handler: (message, context) =>
    jobs().runUnit(
      runtime().scan(),
      message,
      lastAttempt(context, queues.scanVault.maxDeliveryCount),
      runtime().scheduledWork,
    ),
});
