import { app, type InvocationContext } from '@azure/functions';
import { queues } from '../../shared/config/queues';
import { runtime } from '../../shared/runtime/runtime';

/**
 * Rotation registrations: the schedule (due automatic rotations, overlap removals, overdue alerts) and the worker
 * that runs one rotation's state machine. The worker completes the message only when the run ends or pauses for the
 * overlap; an error abandons it, and the redelivery resumes from the last recorded step.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobs = (): typeof import('../../shared/rotation/rotation-jobs') => require('../../shared/rotation/rotation-jobs');

const lastAttempt = (context: InvocationContext): boolean => {
  const count = Number(context.triggerMetadata?.deliveryCount ?? 1);
  return Number.isFinite(count) && count >= queues.rotation.maxDeliveryCount;
};

app.timer('rotationSchedule', {
  schedule: '%ROTATION_SCHEDULE%',
  handler: async (_timer, context) => {
    const result = await jobs().runSchedule(runtime().rotation(), runtime().scheduledWork);
    context.log(`rotation schedule: ${result ? JSON.stringify(result) : 'skipped (licence)'}`);
  },
});

app.serviceBusQueue('rotationWorker', {
  connection: 'ServiceBusConnection',
  queueName: queues.rotation.name,
  handler: (message, context) =>
    jobs().runRotation(runtime().rotation(), message, lastAttempt(context), runtime().scheduledWork),
});
