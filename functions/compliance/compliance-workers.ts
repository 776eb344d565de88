import { app } from '@azure/functions';
import { subscriptionName, topics } from '../../shared/config/topics';
import { runtime } from '../../shared/runtime/runtime';

/** The `compliance` subscription of scan-events; the evaluation module loads on the first message. */
const jobs = (): typeof import('../../shared/compliance/compliance-jobs') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../shared/compliance/compliance-jobs');

app.serviceBusTopic('complianceScanEvents', {
  connection: 'ServiceBusConnection',
  topicName: topics.scanEvents.name,
  subscriptionName: subscriptionName('scanEvents', 'compliance'),
  handler: (message, context) =>
    jobs().onScanEventForCompliance(runtime().compliance(), message, runtime().scheduledWork, context.triggerMetadata),
});
