import { SyncProviderError } from './providers/sync-provider';

/**
 * Retries of throttled and failed provider calls, with exponential backoff and full jitter, inside a budget per
 * provider: at most `retriesPerMinute` retries per provider per process, so a storm at one cloud cannot keep
 * every worker busy retrying. When the budget is spent the error goes up, and Service Bus redelivers later.
 */
export interface RetryBudget {
  take(provider: string): boolean;
}

export function createRetryBudget(options: { retriesPerMinute: number; nowMs?: () => number }): RetryBudget {
  const nowMs = options.nowMs ?? (() => Date.now());
  const windows = new Map<string, { start: number; used: number }>();
  return {
    take(provider) {
      const now = nowMs();
      const w = windows.get(provider);
      if (!w || now - w.start >= 60_000) {
        windows.set(provider, { start: now, used: 1 });
        return true;
      }
      if (w.used >= options.retriesPerMinute) return false;
      w.used += 1;
      return true;
    },
  };
}

export interface RetryOptions {
  readonly budget: RetryBudget;
  readonly provider: string;
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export async function withRetry<T>(options: RetryOptions, run: () => Promise<T>): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const retryable = error instanceof SyncProviderError && error.retryable;
      if (!retryable || attempt >= options.maxAttempts || !options.budget.take(options.provider)) throw error;
      const cap = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
      await options.sleep(Math.floor(random() * cap));
    }
  }
}
