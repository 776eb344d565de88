import { z } from 'zod';

/** How many of an entity's dead letters a replay takes at most, and by default. */
export const REPLAY_MAX = 100;
export const REPLAY_DEFAULT = 10;

// Service Bus names: letters, digits, `.`, `_`, `-` (a queue or topic path segment, a subscription name).
const entityName = z
  .string()
  .trim()
  .min(1)
  .max(260)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a queue, topic or subscription name');

/** `{queue}` of `POST /api/system/dead-letters/{queue}/replay`: a declared queue, or the topic of a subscription. */
export const deadLetterQueueParams = z.object({ queue: entityName });

/** A subscription is addressed as its topic's path plus `?subscription=<name>`. */
export const deadLetterReplayQuery = z.object({ subscription: entityName.max(50).optional() });

export const deadLetterReplayBody = z
  .strictObject({
    max: z.number().int().min(1).max(REPLAY_MAX).default(REPLAY_DEFAULT).describe('Messages to replay at most.'),
  })
  .meta({ id: 'DeadLetterReplayRequest' });

/** One dead-lettered message, metadata only: the body is never read out, so it can never leak. */
export const deadLetterMessageSchema = z
  .object({
    messageId: z.string().max(128),
    reason: z.string().max(200).nullable().describe('DeadLetterReason, e.g. MaxDeliveryCountExceeded.'),
    description: z.string().max(500).nullable().describe('DeadLetterErrorDescription, cut to 500 characters.'),
    enqueuedAt: z.string().max(40).nullable(),
    deliveryCount: z.number().int().min(0),
    correlationId: z.string().max(128).optional(),
    subject: z.string().max(128).optional(),
  })
  .meta({ id: 'DeadLetterMessage' });

export const deadLetterEntitySchema = z
  .object({
    queue: z.string().max(260).describe('The queue, or the topic of a subscription.'),
    subscription: z.string().max(50).optional(),
    count: z.number().int().min(0).describe('Messages in the dead-letter queue (see countIsLowerBound).'),
    countIsLowerBound: z.boolean().describe('True when there are more than the count: peeking stopped there.'),
    messages: z.array(deadLetterMessageSchema).describe('The newest dead letters, newest first.'),
    error: z
      .string()
      .max(100)
      .optional()
      .describe('Why the dead-letter queue could not be read (a Service Bus error code); count is then 0.'),
  })
  .meta({ id: 'DeadLetterEntity' });

export const deadLetterListSchema = z
  .object({ entities: z.array(deadLetterEntitySchema) })
  .meta({ id: 'DeadLetterList' });

export const deadLetterReplayResultSchema = z
  .object({
    replayed: z.number().int().min(0).describe('Copies sent and originals removed from the dead-letter queue.'),
    skipped: z.number().int().min(0).describe('Messages taken but left in the dead-letter queue after a failure.'),
  })
  .meta({ id: 'DeadLetterReplayResult' });
