/**
 * A self-imposed request budget: at most `limit` requests per `windowMs` for each key (a vault, a subscription),
 * counted over a sliding window, so no 10-second window at the service ever holds more than the budget. A request
 * draws on several keys at once (its vault and its subscription) and waits until all of them have room. A 429's
 * Retry-After pauses a key for everyone, because the service asked the caller, not one request, to back off.
 */
export interface BudgetRule {
  readonly limit: number;
  readonly windowMs: number;
  /** Counted across every instance of the app (`shared-budget.ts`), not only within this one. */
  readonly shared?: boolean;
}

export interface RequestBudgetOptions {
  /** Milliseconds on a monotonic-enough clock; injected so tests can drive time. */
  readonly nowMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RequestBudget {
  /** Resolves once a request may be sent under every key's rule, and counts it against each key. */
  acquire(keys: readonly BudgetKey[]): Promise<void>;
  /** Stops every request on `key` until `untilMs` (a Retry-After). */
  pause(key: string, untilMs: number): void;
  /** Highest number of requests counted for `key` in any window so far (for benchmarks and tests). */
  peak(key: string): number;
}

export interface BudgetKey {
  readonly key: string;
  readonly rule: BudgetRule;
}

interface KeyState {
  /** Send times inside the current window, oldest first. */
  readonly sent: number[];
  pausedUntil: number;
  peak: number;
}

export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const states = new Map<string, KeyState>();

  function state(key: string): KeyState {
    let s = states.get(key);
    if (!s) {
      s = { sent: [], pausedUntil: 0, peak: 0 };
      states.set(key, s);
    }
    return s;
  }

  /** Milliseconds until `key` has room, 0 when it has room now. */
  function waitFor(k: BudgetKey, now: number): number {
    const s = state(k.key);
    while (s.sent.length > 0 && (s.sent[0] ?? 0) <= now - k.rule.windowMs) s.sent.shift();
    const pauseWait = Math.max(0, s.pausedUntil - now);
    const windowWait = s.sent.length < k.rule.limit ? 0 : (s.sent[0] ?? now) + k.rule.windowMs - now;
    return Math.max(pauseWait, windowWait);
  }

  async function acquire(keys: readonly BudgetKey[]): Promise<void> {
    for (;;) {
      const now = options.nowMs();
      const wait = Math.max(0, ...keys.map((k) => waitFor(k, now)));
      if (wait === 0) {
        for (const k of keys) {
          const s = state(k.key);
          s.sent.push(now);
          s.peak = Math.max(s.peak, s.sent.length);
        }
        return;
      }
      // Waiters re-check after sleeping: another waiter may have taken the slot first.
      await options.sleep(wait + 1);
    }
  }

  function pause(key: string, untilMs: number): void {
    const s = state(key);
    s.pausedUntil = Math.max(s.pausedUntil, untilMs);
  }

  return { acquire, pause, peak: (key) => states.get(key)?.peak ?? 0 };
}

/** Milliseconds a Retry-After header asks for: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
