import { atLeast } from '../auth/auth-roles';
import { errorSchema } from '../http/error-schema';
import { defineRoute } from '../http/route-spec';
import {
  deadLetterListSchema,
  deadLetterQueueParams,
  deadLetterReplayBody,
  deadLetterReplayQuery,
  deadLetterReplayResultSchema,
} from './dead-letter-schemas';

const admin = { tag: 'System', access: atLeast('admin'), minTier: 'trial' } as const;

/** Dead letters of every queue and subscription: listed and replayed by admins (docs/dead-letters.md). */
export const deadLetterRoutes = {
  listDeadLetters: defineRoute({
    ...admin,
    operationId: 'listDeadLetters',
    method: 'GET',
    path: '/api/system/dead-letters',
    summary: 'Dead letters per queue and subscription: count and the newest messages (metadata, never a body)',
    rateLimit: 'read',
    responses: { 200: { description: 'Every declared queue and subscription.', schema: deadLetterListSchema } },
  }),
  replayDeadLetters: defineRoute({
    ...admin,
    operationId: 'replayDeadLetters',
    method: 'POST',
    path: '/api/system/dead-letters/{queue}/replay',
    summary: 'Send up to max dead letters back to their queue or topic (?subscription= for a subscription)',
    rateLimit: 'expensive',
    params: deadLetterQueueParams,
    query: deadLetterReplayQuery,
    body: deadLetterReplayBody,
    responses: {
      200: {
        description: 'How many were replayed, and how many stay after a failure.',
        schema: deadLetterReplayResultSchema,
      },
      400: { description: 'A topic without ?subscription=, or a queue with one.', schema: errorSchema },
      404: { description: 'No such queue, topic or subscription.', schema: errorSchema },
    },
    // An empty dead-letter queue: the replay answers 0 replayed, and the call is audited.
    sample: { params: { queue: 'scan-plan' }, body: { max: 1 }, status: 200 },
  }),
};
