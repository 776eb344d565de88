import { createRequestBudget, type BudgetKey } from './request-budget';
import { createSharedBudget, type GrantRow, type GrantStore } from './shared-budget';

/** The grant store's contract in memory (the Table Storage one is tested against Azurite in test/api/stores.test.ts). */
function memoryGrants(): GrantStore & { claims: number } {
  const rows = new Map<string, GrantRow>();
  const row = (key: string, window: number): GrantRow => rows.get(`${key}@${window}`) ?? { granted: 0, pausedUntil: 0 };
  const store = {
    claims: 0,
    async claim(key: string, window: number, want: number, limit: number, nowMs: number) {
      store.claims += 1;
      const r = row(key, window);
      const give = r.pausedUntil > nowMs ? 0 : Math.max(0, Math.min(want, limit - r.granted));
      rows.set(`${key}@${window}`, { ...r, granted: r.granted + give });
      return { granted: give, pausedUntil: r.pausedUntil };
    },
    async pause(key: string, window: number, untilMs: number) {
      const r = row(key, window);
      rows.set(`${key}@${window}`, { ...r, pausedUntil: Math.max(r.pausedUntil, untilMs) });
    },
  };
  return store;
}

describe('shared request budget', () => {
  it('keeps two instances together within a shared rule per window, and lets every request through in time', async () => {
    let now = 10_000;
    const nowMs = () => now;
    // Time moves only when every request is waiting: each sleeper moves it to its own wake-up time.
    const sleep = async (ms: number) => {
      await new Promise((r) => setImmediate(r));
      now = Math.max(now, now + ms);
    };
    const grants = memoryGrants();
    const instance = () => createSharedBudget({ local: createRequestBudget({ nowMs, sleep }), grants, nowMs, sleep });
    const [a, b] = [instance(), instance()];
    const sub: BudgetKey = { key: 'kvsub/s1', rule: { limit: 20, windowMs: 1000, shared: true } };
    const vault: BudgetKey = { key: 'kv/v1', rule: { limit: 400, windowMs: 1000 } };
    const sentIn = new Map<number, number>();
    const send = async (budget: typeof a) => {
      await budget.acquire([vault, sub]);
      const window = Math.floor(now / 1000);
      sentIn.set(window, (sentIn.get(window) ?? 0) + 1);
    };
    await Promise.all(Array.from({ length: 100 }, (_, i) => send(i % 2 === 0 ? a : b)));

    expect([...sentIn.values()].reduce((x, y) => x + y, 0)).toBe(100);
    expect(Math.max(...sentIn.values())).toBeLessThanOrEqual(20);
    expect(sentIn.size).toBeGreaterThanOrEqual(5);
    // Shares of a tenth: about ten claims per window, not one per request.
    expect(grants.claims).toBeLessThan(100);
  });

  it('does not share rules that are not marked shared', async () => {
    const grants = memoryGrants();
    const budget = createSharedBudget({
      local: createRequestBudget({ nowMs: () => 0, sleep: async () => undefined }),
      grants,
      nowMs: () => 0,
      sleep: async () => undefined,
    });
    await budget.acquire([{ key: 'kv/v1', rule: { limit: 10, windowMs: 1000 } }]);
    expect(grants.claims).toBe(0);
    expect(budget.peak('kv/v1')).toBe(1);
  });

  it('holds every instance off a shared key when one of them is told to wait (Retry-After)', async () => {
    let now = 10_000;
    const nowMs = () => now;
    const sleep = async (ms: number) => {
      await new Promise((r) => setImmediate(r));
      now += ms;
    };
    const grants = memoryGrants();
    const instance = () => createSharedBudget({ local: createRequestBudget({ nowMs, sleep }), grants, nowMs, sleep });
    const [a, b] = [instance(), instance()];
    const sub: BudgetKey = { key: 'kvsub/s1', rule: { limit: 20, windowMs: 1000, shared: true } };
    await a.acquire([sub]); // a has now seen the key (and holds the rest of its share)
    a.pause('kvsub/s1', now + 2500);
    await new Promise((r) => setImmediate(r));
    const sentAt: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => b.acquire([sub]).then(() => sentAt.push(now))));
    expect(Math.min(...sentAt)).toBeGreaterThanOrEqual(12_500);
  });
});
