import { app } from '@azure/functions';
import { runtime } from '../../shared/runtime/runtime';

/**
 * Signs a checkpoint of the audit chain head every hour on the hour, whether or not anything was appended:
 * the fixed cadence is what lets an auditor prove that an hour had no entries. Not configurable on purpose.
 */
export const AUDIT_CHECKPOINT_SCHEDULE = '0 0 * * * *';

app.timer('auditCheckpoint', {
  schedule: AUDIT_CHECKPOINT_SCHEDULE,
  handler: async (_timer, context) => {
    const checkpoint = await (await runtime().audit()).writeCheckpoint();
    context.log(`audit checkpoint ${checkpoint.checkpointSeq}: head seq ${checkpoint.headSeq}`);
  },
});
