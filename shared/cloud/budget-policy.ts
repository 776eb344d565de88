import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { parseRetryAfter, type BudgetKey, type RequestBudget } from '../scan/request-budget';
import { recordThrottled, type ThrottledService } from '../telemetry/keyward-metrics';

/** The service a budget's keys draw on, from the scan's key names (`kv/…`, `kvsub/…`, `arm/…`, `graph`). */
function serviceOf(keys: readonly BudgetKey[]): ThrottledService {
  const prefix = keys[0]?.key.split('/')[0];
  if (prefix === 'kv' || prefix === 'kvsub') return 'keyvault';
  return prefix === 'arm' || prefix === 'graph' ? prefix : 'other';
}

/**
 * An Azure SDK pipeline policy that makes every HTTP attempt (retries included, since it sits per retry) wait for
 * the request budget of its keys, and pauses those keys when the service answers 429 or 503 with a Retry-After.
 * Every scan request to Key Vault, ARM and Graph passes here, so this is where the scan's 429s are counted.
 */
export function budgetPolicy(budget: RequestBudget, keys: readonly BudgetKey[], nowMs: () => number): PipelinePolicy {
  const service = serviceOf(keys);
  return {
    name: 'keywardRequestBudget',
    async sendRequest(request, next) {
      await budget.acquire(keys);
      const response = await next(request);
      if (response.status === 429) recordThrottled(service);
      if (response.status === 429 || response.status === 503) {
        const wait = parseRetryAfter(response.headers.get('retry-after'), nowMs());
        if (wait !== null) for (const k of keys) budget.pause(k.key, nowMs() + wait);
      }
      return response;
    },
  };
}
