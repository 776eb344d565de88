import type { z } from 'zod';

/**
 * A queue or topic message that can never succeed: its body does not match its schema. The worker throws it
 * rather than completing the message, so the message is never silently dropped: the broker redelivers it and,
 * past the entity's max delivery count, moves it to the dead-letter queue, where an operator sees it
 * (`GET /api/system/dead-letters`) and can replay it. The message names the schema paths and issue codes only,
 * never the values (a body may hold anything).
 */
export class MalformedMessageError extends Error {
  constructor(
    readonly what: string,
    readonly issues: string,
  ) {
    super(`malformed ${what} message: ${issues}`);
    this.name = 'MalformedMessageError';
  }
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ')
    .slice(0, 500);
}

/** Parses a message body with its schema, or throws MalformedMessageError. */
export function parseMessage<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new MalformedMessageError(what, describeIssues(parsed.error));
  return parsed.data;
}
