import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * The correlation id of the request, timer or message an invocation is working for. The invocation hook
 * (`registerCorrelationHook`) runs each handler inside `withCorrelation`, so code anywhere below it — logs,
 * audit appends, outgoing messages, deliveries — reads the same id without passing it through every call.
 */
const storage = new AsyncLocalStorage<string>();

/** Correlation ids are opaque, bounded and printable: what a caller sent is trusted only in that shape. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function isCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

export function newCorrelationId(): string {
  return randomBytes(8).toString('hex');
}

export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return storage.run(correlationId, work);
}

/** The id of the invocation in progress, or undefined outside any (start-up, tests of pure code). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
