import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { parseRetryAfter, type BudgetKey, type RequestBudget } from '../scan/request-budget';

/**
 * An Azure SDK pipeline policy that makes every HTTP attempt (retries included, since it sits per retry) wait for
 * the request budget of its keys, and pauses those keys when the service answers 429 or 503 with a Retry-After.
 */
export function budgetPolicy(budget: RequestBudget, keys: readonly BudgetKey[], nowMs: () => number): PipelinePolicy {
  return {
    name: 'keywardRequestBudget',
    async sendRequest(request, next) {
      await budget.acquire(keys);
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        const wait = parseRetryAfter(response.headers.get('retry-after'), nowMs());
        if (wait !== null) for (const k of keys) budget.pause(k.key, nowMs() + wait);
      }
      return response;
    },
  };
}
