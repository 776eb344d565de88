import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { RequestBudget } from '../scan/request-budget';
import { backoffMs, budgetPolicy } from './budget-policy';

/** A budget that records its pauses (the policy's decision is what is under test, not the budget's waiting). */
function recordingBudget() {
  const pauses: { key: string; untilMs: number }[] = [];
  const budget: RequestBudget = {
    acquire: async () => undefined,
    pause: (key, untilMs) => pauses.push({ key, untilMs }),
    peak: () => 0,
  };
  return { budget, pauses };
}

const answer = (status: number, retryAfter?: string) => async (): Promise<PipelineResponse> =>
  ({
    status,
    headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) },
  }) as unknown as PipelineResponse;
const rule = { limit: 10, windowMs: 10_000 };
const keys = [
  { key: 'kv/vault-1', rule },
  { key: 'kvsub/sub-1', rule },
];
const request = {} as PipelineRequest;

describe('the budget policy after a 429', () => {
  it('pauses only the vault, for a growing jittered back-off, when the 429 names no wait', async () => {
    const { budget, pauses } = recordingBudget();
    let draw = 0;
    const random = () => [0, 0.999, 0.5, 0, 0][draw++] ?? 0;
    const policy = budgetPolicy(budget, keys, () => 1000, { baseMs: 1000, maxMs: 4000, random });
    for (let i = 0; i < 4; i += 1) await policy.sendRequest(request, answer(429));
    // 1 s, 2 s, 4 s, then capped at 4 s; each between half and all of it (500 + 0×500, 1000 + 0.999×1000, …).
    expect(pauses).toEqual([
      { key: 'kv/vault-1', untilMs: 1000 + 500 },
      { key: 'kv/vault-1', untilMs: 1000 + 1000 + 999 },
      { key: 'kv/vault-1', untilMs: 1000 + 2000 + 1000 },
      { key: 'kv/vault-1', untilMs: 1000 + 2000 },
    ]);
    // A page that gets through starts the back-off afresh.
    await policy.sendRequest(request, answer(200));
    await policy.sendRequest(request, answer(429));
    expect(pauses.at(-1)).toEqual({ key: 'kv/vault-1', untilMs: 1000 + 500 });
  });

  it('pauses every key for the wait a Retry-After names', async () => {
    const { budget, pauses } = recordingBudget();
    const policy = budgetPolicy(budget, keys, () => 1000);
    await policy.sendRequest(request, answer(429, '3'));
    expect(pauses).toEqual([
      { key: 'kv/vault-1', untilMs: 4000 },
      { key: 'kvsub/sub-1', untilMs: 4000 },
    ]);
  });

  it('keeps every back-off between half and all of the capped exponential delay', () => {
    for (const r of [0, 0.25, 0.999]) {
      for (let n = 1; n <= 8; n += 1) {
        const full = Math.min(16_000, 1000 * 2 ** (n - 1));
        const wait = backoffMs(n, { baseMs: 1000, maxMs: 16_000, random: () => r });
        expect(wait).toBeGreaterThanOrEqual(full / 2);
        expect(wait).toBeLessThan(full + 1);
      }
    }
  });
});
