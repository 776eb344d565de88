import { z } from 'zod';

/**
 * Every domain event travels in this envelope, defined once. `id` is also the Service Bus messageId, so the
 * topic's duplicate detection drops a second publication of the same event; `correlationId` is the request or
 * timer that caused it; `data` is validated against the catalogue's schema for `type` and `version`.
 */
export const eventEnvelopeSchema = z.object({
  type: z.string().min(1).max(100),
  id: z.string().min(1).max(128),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().max(128),
  data: z.unknown(),
});

export interface EventEnvelope<T = unknown> {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly data: T;
}
