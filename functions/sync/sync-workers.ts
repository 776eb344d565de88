import { app } from '@azure/functions';
import { queues } from '../../shared/config/queues';
import { subscriptionName, topics } from '../../shared/config/topics';
import { runtime } from '../../shared/runtime/runtime';

/**
 * Sync registrations: the timer, the `sync` subscription of the scan topic (a scan that saw a source move) and
 * the worker of the sync queue. The feature's modules and SDKs load on the first invocation.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobs = (): typeof import('../../shared/sync/sync-jobs') => require('../../shared/sync/sync-jobs');

app.timer('syncTimer', {
  schedule: '%SYNC_SCHEDULE%',
  handler: async (_timer, context) => {
    const queued = await jobs().syncTimer(runtime().sync(), runtime().scheduledWork);
    context.log(`sync: ${queued} message(s) queued`);
  },
});

app.serviceBusTopic('syncScanEvents', {
  connection: 'ServiceBusConnection',
  topicName: topics.scanEvents.name,
  subscriptionName: subscriptionName('scanEvents', 'sync'),
  handler: (message, context) =>
    jobs().onScanCompleted(runtime().sync(), message, runtime().scheduledWork, context.triggerMetadata),
});

app.serviceBusQueue('syncWorker', {
  connection: 'ServiceBusConnection',
  queueName: queues.sync.name,
  handler: (message, context) =>
    jobs().onSyncMessage(
      runtime().sync(),
      message,
      Number(context.triggerMetadata?.deliveryCount ?? 1),
      runtime().scheduledWork,
    ),
});
