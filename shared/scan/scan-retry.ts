import { parseRetryAfter } from './request-budget';

/**
 * The one retry helper of the scan. The SDKs already retry a few times inside each call; this outer loop keeps a
 * vault going through a long 429 storm or a burst of faults (the scan must finish, not give up), waiting what the
 * service asks (Retry-After) or Key Vault's documented back-off (1, 2, 4, 8, 16 s), and stops at once on errors
 * that retrying cannot fix (403, 404, 401).
 */
export interface RetryOptions {
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly nowMs: () => number;
  /** First back-off in ms when the service gives no Retry-After (Key Vault documents 1 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The code of a request refused because its clients were closed (their unit is over): never worth a retry. */
export const CLIENTS_CLOSED = 'KEYWARD_CLIENTS_CLOSED';

export function isRetryable(error: unknown): boolean {
  const status = statusCodeOf(error);
  if ((error as { code?: unknown } | null)?.code === CLIENTS_CLOSED) return false;
  if (status === undefined) return true; // network errors: reset, timeout, refused
  return status === 408 || status === 429 || status >= 500;
}

function retryAfterOf(error: unknown, nowMs: number): number | null {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined } } } | null)?.response
    ?.headers;
  return parseRetryAfter(headers?.get?.('retry-after') ?? null, nowMs);
}

/**
 * Calls until it succeeds or fails for good. `progress` (e.g. pages listed so far) lets a long call that keeps moving
 * forward between failures start its attempt count afresh, so a storm of 429s spread over a long listing does not
 * exhaust the attempts that a storm on one page would.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: RetryOptions,
  progress?: () => number,
): Promise<T> {
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 16_000;
  let reached = progress?.() ?? 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const now = progress?.() ?? 0;
      if (now > reached) {
        reached = now;
        attempt = 1;
      }
      if (attempt >= options.attempts || !isRetryable(error)) throw error;
      const asked = retryAfterOf(error, options.nowMs());
      await options.sleep(asked ?? Math.min(max, base * 2 ** (attempt - 1)));
    }
  }
}
