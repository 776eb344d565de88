import { app, type HttpResponseInit } from '@azure/functions';
import { performance } from 'node:perf_hooks';

/**
 * Access log for every HTTP invocation, once, after it ran: function, status, duration and the ids the
 * pipeline put on the response. Never headers or bodies (they may carry keys).
 */
export function registerHttpHooks(): void {
  app.hook.preInvocation((context) => {
    context.hookData.startedAt = performance.now();
  });
  app.hook.postInvocation((context) => {
    const result = context.result as HttpResponseInit | undefined;
    const headers = (result?.headers ?? {}) as Record<string, string>;
    if (!headers['x-request-id']) return;
    const started = context.hookData.startedAt as number | undefined;
    const ms = started === undefined ? '?' : (performance.now() - started).toFixed(1);
    context.invocationContext.log(
      `${context.invocationContext.functionName} ${result?.status ?? 200} ${ms}ms ` +
        `request=${headers['x-request-id']} correlation=${headers['x-correlation-id'] ?? ''}`,
    );
  });
}
