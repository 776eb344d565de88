import { app } from '@azure/functions';
import { queues } from '../../shared/config/queues';
import { subscriptionName, topics } from '../../shared/config/topics';
import { channelQueues } from '../../shared/notify/notify-queues';
import { channelTypes } from '../../shared/notify/notify-schemas';
import { runtime } from '../../shared/runtime/runtime';

/**
 * Notification registrations: the `notify` subscriptions of the scan and alert topics, the digest timer and one
 * worker per channel queue. Heavy modules (storage, SDKs, nodemailer) load on the first invocation.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobs = (): typeof import('../../shared/notify/notify-jobs') => require('../../shared/notify/notify-jobs');

app.serviceBusTopic('notifyScanEvents', {
  connection: 'ServiceBusConnection',
  topicName: topics.scanEvents.name,
  subscriptionName: subscriptionName('scanEvents', 'notify'),
  handler: (message, context) =>
    jobs().onScanEvent(runtime().notify(), message, runtime().scheduledWork, context.triggerMetadata),
});

app.serviceBusTopic('notifyAlertEvents', {
  connection: 'ServiceBusConnection',
  topicName: topics.alertEvents.name,
  subscriptionName: subscriptionName('alertEvents', 'notify'),
  handler: (message, context) =>
    jobs().onAlertEvent(runtime().notify(), message, runtime().scheduledWork, context.triggerMetadata),
});

app.timer('notifyDigest', {
  schedule: '%NOTIFY_DIGEST_SCHEDULE%',
  handler: async (_timer, context) => {
    const sent = await jobs().flushDigests(runtime().notify(), runtime().scheduledWork);
    context.log(`digest: ${sent} delivery message(s)`);
  },
});

for (const channel of channelTypes) {
  app.serviceBusQueue(`notify${channel[0]?.toUpperCase() ?? ''}${channel.slice(1)}`, {
    connection: 'ServiceBusConnection',
    queueName: queues[channelQueues[channel]].name,
    handler: (message, context) =>
      jobs().deliver(
        runtime().notify(),
        message,
        Number(context.triggerMetadata?.deliveryCount ?? 1),
        runtime().scheduledWork,
      ),
  });
}
