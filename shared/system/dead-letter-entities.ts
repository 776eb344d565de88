import type { QueueSpec } from '../config/queues';
import type { TopicSpec } from '../config/topics';
import { badRequest, notFound } from '../http/http-errors';

/** An entity with a dead-letter sub-queue: a queue, or a topic's subscription. */
export type DeadLetterEntity =
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'subscription'; readonly queue: string; readonly subscription: string };

/** Every declared queue, then every subscription of every declared topic. */
export function deadLetterEntities(
  queues: readonly QueueSpec[],
  topics: readonly TopicSpec[],
): readonly DeadLetterEntity[] {
  return [
    ...queues.map((q): DeadLetterEntity => ({ kind: 'queue', queue: q.name })),
    ...topics.flatMap((t) =>
      t.subscriptions.map((s): DeadLetterEntity => ({ kind: 'subscription', queue: t.name, subscription: s.name })),
    ),
  ];
}

// Service Bus entity names are case-insensitive; a match answers with the declared spelling.
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The entity a replay request names: `{queue}` is a declared queue, or a declared topic together with one of its
 * subscriptions. Anything else is refused before Service Bus is touched.
 */
export function resolveDeadLetterEntity(
  queues: readonly QueueSpec[],
  topics: readonly TopicSpec[],
  request: { readonly queue: string; readonly subscription?: string | undefined },
): DeadLetterEntity {
  const queue = queues.find((q) => same(q.name, request.queue));
  if (queue) {
    if (request.subscription !== undefined) throw badRequest(`${queue.name} is a queue: it has no subscriptions.`);
    return { kind: 'queue', queue: queue.name };
  }
  const topic = topics.find((t) => same(t.name, request.queue));
  if (!topic) throw notFound('No queue or topic with that name.');
  if (request.subscription === undefined) {
    throw badRequest(`${topic.name} is a topic: name one of its subscriptions with ?subscription=.`);
  }
  const subscription = topic.subscriptions.find((s) => same(s.name, request.subscription ?? ''));
  if (!subscription) throw notFound(`The topic ${topic.name} has no such subscription.`);
  return { kind: 'subscription', queue: topic.name, subscription: subscription.name };
}

/** The audit target: `queue/<name>` or `subscription/<topic>/<subscription>`. */
export function deadLetterTarget(entity: DeadLetterEntity): string {
  return entity.kind === 'queue' ? `queue/${entity.queue}` : `subscription/${entity.queue}/${entity.subscription}`;
}
