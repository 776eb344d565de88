import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { parseRetryAfter, type BudgetKey, type RequestBudget } from '../scan/request-budget';
import { recordThrottled, type ThrottledService } from '../telemetry/keyward-metrics';

/** The service a budget's keys draw on, from the scan's key names (`kv/…`, `kvsub/…`, `arm/…`, `graph`). */
function serviceOf(keys: readonly BudgetKey[]): ThrottledService {
  const prefix = keys[0]?.key.split('/')[0];
  if (prefix === 'kv' || prefix === 'kvsub') return 'keyvault';
  return prefix === 'arm' || prefix === 'graph' ? prefix : 'other';
}

/** The back-off of a 429 without Retry-After; Key Vault's guidance: 1, 2, 4, 8, 16 s, jittered. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** In [0, 1); injected so a test can fix the jitter. */
  readonly random: () => number;
}

export const KEY_VAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 16_000, random: Math.random };

/**
 * The pause after the `n`-th consecutive 429 without Retry-After: "equal jitter" — half the exponential delay
 * plus a random part of the other half, so clients throttled together do not come back together.
 */
export function backoffMs(n: number, options: BackoffOptions): number {
  const full = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, n - 1));
  return full / 2 + options.random() * (full / 2);
}

/**
 * An Azure SDK pipeline policy that makes every HTTP attempt (retries included, since it sits per retry) wait for
 * the request budget of its keys, and pauses them when the service answers 429 (or 503) with a Retry-After. Key
 * Vault's 429 carries no Retry-After: then the first key (the narrowest, e.g. the vault) pauses for a jittered
 * exponential back-off that grows with each consecutive 429 and resets on the next answer that is not one. The 429
 * was already counted against the budget when its request acquired a slot. Every scan request to Key Vault, ARM and
 * Graph passes here, so this is where the scan's 429s are counted. Build one per unit (its back-off is the unit's).
 */
export function budgetPolicy(
  budget: RequestBudget,
  keys: readonly BudgetKey[],
  nowMs: () => number,
  backoff: BackoffOptions = KEY_VAULT_BACKOFF,
): PipelinePolicy {
  const service = serviceOf(keys);
  let consecutive = 0;
  return {
    name: 'keywardRequestBudget',
    async sendRequest(request, next) {
      await budget.acquire(keys);
      const response = await next(request);
      if (response.status === 429) recordThrottled(service);
      if (response.status !== 429) consecutive = 0;
      if (response.status === 429 || response.status === 503) {
        const wait = parseRetryAfter(response.headers.get('retry-after'), nowMs());
        if (wait !== null) for (const k of keys) budget.pause(k.key, nowMs() + wait);
        else if (response.status === 429 && keys[0]) {
          consecutive += 1;
          budget.pause(keys[0].key, nowMs() + backoffMs(consecutive, backoff));
        }
      }
      return response;
    },
  };
}
