import { auditActor } from '../auth/auth-audit';
import { queueList } from '../config/queues';
import { topicList } from '../config/topics';
import type { GroupHandlers } from '../http/register-routes';
import type { Runtime } from '../runtime/runtime';
import { replayDeadLetters } from './dead-letter-replay';
import type { deadLetterRoutes } from './dead-letter-routes';
import { createDeadLetterService } from './dead-letter-service';

/** The dead-letter service over every declared queue and topic (a few closures: built per call, nothing cached). */
const deadLetters = (runtime: Runtime) =>
  createDeadLetterService({
    serviceBus: runtime.serviceBus,
    queues: queueList,
    topics: topicList,
    malformed: runtime.malformed,
  });

/** Dead letters of every queue and subscription: listed and replayed by admins. */
export const deadLetterHandlers: GroupHandlers<typeof deadLetterRoutes> = {
  listDeadLetters: async ({ runtime }) => ({ status: 200, body: await deadLetters(runtime).list() }),
  replayDeadLetters: async ({ params, query, body, identity, ids, runtime }) => ({
    status: 200,
    body: await replayDeadLetters(
      { deadLetters: deadLetters(runtime), audit: await runtime.audit() },
      { queue: params.queue, subscription: query.subscription, max: body.max },
      { actor: auditActor(identity), correlationId: ids.correlationId },
    ),
  }),
};
