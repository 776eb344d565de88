import { createRequestBudget, parseRetryAfter } from './request-budget';

/** A budget on a hand-driven clock: sleeping advances time, so waits are measured, not slept. */
function harness() {
  let now = 0;
  const sent: number[] = [];
  const budget = createRequestBudget({
    nowMs: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { budget, sent, now: () => now };
}

const vault = { key: 'kv/a', rule: { limit: 3, windowMs: 1000 } };
const sub = { key: 'sub/1', rule: { limit: 4, windowMs: 1000 } };

describe('request budget', () => {
  it('never lets more than the limit through in any window', async () => {
    const h = harness();
    for (let i = 0; i < 10; i += 1) {
      await h.budget.acquire([vault]);
      h.sent.push(h.now());
    }
    for (const t of h.sent) expect(h.sent.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(3);
    expect(h.budget.peak('kv/a')).toBe(3);
    expect(h.now()).toBeGreaterThanOrEqual(3000);
  });

  it('holds a request until every key it draws on has room', async () => {
    const h = harness();
    const other = { key: 'kv/b', rule: { limit: 3, windowMs: 1000 } };
    for (let i = 0; i < 3; i += 1) await h.budget.acquire([vault, sub]);
    await h.budget.acquire([other, sub]);
    expect(h.now()).toBe(0);
    await h.budget.acquire([other, sub]); // the subscription (4 per window) is full now
    expect(h.now()).toBeGreaterThanOrEqual(1000);
  });

  it('pauses a key until a Retry-After has passed', async () => {
    const h = harness();
    h.budget.pause('kv/a', 5000);
    await h.budget.acquire([vault]);
    expect(h.now()).toBeGreaterThanOrEqual(5000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});
