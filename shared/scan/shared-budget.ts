import type { TableClient } from '@azure/data-tables';
import { updateRow } from '../runtime/row-update';
import type { BudgetKey, BudgetRule, RequestBudget } from './request-budget';

export const SCAN_BUDGET_TABLE = 'scanbudget';

/** A key's shared row for one fixed window: requests granted to instances, and a pause the service asked for. */
export interface GrantRow {
  readonly granted: number;
  /** Epoch ms until which every instance holds off the key (a Retry-After); 0 when not paused. */
  readonly pausedUntil: number;
}

/** The app-wide state of one key in one fixed window, kept where every instance sees it. */
export interface GrantStore {
  /**
   * Adds up to `want` to the window's count without passing `limit`, unless the key is paused at `nowMs`. Returns
   * how many it added (0: the window is spent or paused) and the window's pause.
   */
  claim(key: string, window: number, want: number, limit: number, nowMs: number): Promise<GrantRow>;
  /** Pauses the key in `window` until `untilMs` (a later pause already recorded stays). */
  pause(key: string, window: number, untilMs: number): Promise<void>;
}

/**
 * Grants in Table Storage: one row per key and window, changed under its ETag so two instances never hand out the
 * same share. Creating a window's row deletes the row two windows back, so the table stays small.
 */
export function createGrantStore(table: () => Promise<TableClient>): GrantStore {
  /** Changes a key's window row through `row-update.ts`, reading it as a GrantRow. */
  async function update(key: string, window: number, decide: (row: GrantRow) => Partial<GrantRow> | null) {
    const client = await table();
    // Budget keys hold '/', which Table Storage keys may not.
    const partitionKey = Buffer.from(key, 'utf8').toString('base64url');
    const outcome = await updateRow(client, 'budget.update', partitionKey, String(window), (entity) =>
      decide({ granted: Number(entity?.granted ?? 0), pausedUntil: Number(entity?.pausedUntil ?? 0) }),
    );
    if (outcome === 'created') void client.deleteEntity(partitionKey, String(window - 2)).catch(() => undefined);
  }

  return {
    async claim(key, window, want, limit, nowMs) {
      let row: GrantRow = { granted: 0, pausedUntil: 0 };
      let give = 0;
      await update(key, window, (r) => {
        row = r;
        give = r.pausedUntil > nowMs ? 0 : Math.max(0, Math.min(want, limit - r.granted));
        return give > 0 ? { granted: r.granted + give } : null;
      });
      return { granted: give, pausedUntil: row.pausedUntil };
    },
    async pause(key, window, untilMs) {
      await update(key, window, (r) => (r.pausedUntil >= untilMs ? null : { pausedUntil: untilMs }));
    },
  };
}

/** How much of a window's budget an instance claims at a time: a tenth, so a few instances share a window. */
const shareOf = (rule: BudgetRule): number => Math.max(1, Math.ceil(rule.limit / 10));

interface Held {
  readonly window: number;
  left: number;
  spent: boolean;
  pausedUntil: number;
  claiming: Promise<void> | null;
}

/** A pause is shared for at most this many windows ahead (a Retry-After is seconds; the local pause has no cap). */
const PAUSE_WINDOWS = 6;

/**
 * A request budget that holds across instances for rules marked `shared`. The local budget keeps this instance
 * within every rule over a sliding window; for a shared rule, a request also needs a share of the app-wide count of
 * its fixed window, claimed from the grant store a tenth of the budget at a time (one read and one write per tenth).
 * Together the instances then send at most the budget per fixed window (up to twice it across a window boundary,
 * where one instance alone stays within it). Per-vault rules stay local: a vault's unit runs on one instance.
 * A Retry-After on a shared key is recorded in the key's rows, so every instance holds off, not only the one that
 * got the 429 (instances still use the shares they hold: at most a tenth of the budget each).
 */
export function createSharedBudget(options: {
  readonly local: RequestBudget;
  readonly grants: GrantStore;
  readonly nowMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}): RequestBudget {
  const held = new Map<string, Held>();
  /** The rule of each shared key seen, so a pause (which names only the key) knows its windows. */
  const sharedRules = new Map<string, BudgetRule>();

  async function take(k: BudgetKey): Promise<void> {
    sharedRules.set(k.key, k.rule);
    for (;;) {
      const now = options.nowMs();
      const window = Math.floor(now / k.rule.windowMs);
      let h = held.get(k.key);
      if (h?.window !== window) {
        h = { window, left: 0, spent: false, pausedUntil: 0, claiming: null };
        held.set(k.key, h);
      }
      if (h.left > 0) {
        h.left -= 1;
        return;
      }
      if (h.pausedUntil > now) {
        await options.sleep(h.pausedUntil - now + 1);
        continue;
      }
      if (h.spent) {
        await options.sleep((window + 1) * k.rule.windowMs - now + 1);
        continue;
      }
      // One claim at a time per key: the requests waiting on it share what it brings.
      const current = h;
      current.claiming ??= options.grants
        .claim(k.key, window, shareOf(k.rule), k.rule.limit, now)
        .then(({ granted, pausedUntil }) => {
          current.left += granted;
          current.pausedUntil = pausedUntil;
          current.spent = granted === 0 && pausedUntil <= now;
        })
        .finally(() => {
          current.claiming = null;
        });
      await current.claiming;
    }
  }

  return {
    async acquire(keys) {
      for (const k of keys) if (k.rule.shared) await take(k);
      await options.local.acquire(keys);
    },
    pause(key, untilMs) {
      options.local.pause(key, untilMs);
      const rule = sharedRules.get(key);
      if (!rule) return;
      // Recorded in the background: the instance that got the 429 is already paused locally.
      const first = Math.floor(options.nowMs() / rule.windowMs);
      const last = Math.min(Math.floor(untilMs / rule.windowMs), first + PAUSE_WINDOWS - 1);
      for (let window = first; window <= last; window += 1) {
        options.grants.pause(key, window, untilMs).catch(() => undefined);
      }
    },
    peak: (key) => options.local.peak(key),
  };
}
