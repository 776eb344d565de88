import type { TableClient } from '@azure/data-tables';
import { isConflict, isPreconditionFailed, storeCall, storeGet } from '../runtime/store-errors';
import type { BudgetKey, BudgetRule, RequestBudget } from './request-budget';

export const SCAN_BUDGET_TABLE = 'scanbudget';

/**
 * The app-wide count of one key's requests in one fixed window, kept where every instance sees it. `claim` adds up
 * to `want` without passing `limit` and returns how many it added (0: the window is spent).
 */
export interface GrantStore {
  claim(key: string, window: number, want: number, limit: number): Promise<number>;
}

/**
 * Grants in Table Storage: one row per key and window (`granted`), raised under its ETag so two instances never
 * hand out the same share. Creating a window's row deletes the row two windows back, so the table stays small.
 */
export function createGrantStore(table: () => Promise<TableClient>): GrantStore {
  return {
    async claim(key, window, want, limit) {
      const client = await table();
      // Budget keys hold '/', which Table Storage keys may not.
      const partitionKey = Buffer.from(key, 'utf8').toString('base64url');
      const rowKey = String(window);
      for (;;) {
        const row = await storeGet<{ granted?: unknown; etag: string }>('budget.read', () =>
          client.getEntity(partitionKey, rowKey),
        );
        const granted = Number(row?.granted ?? 0);
        const give = Math.max(0, Math.min(want, limit - granted));
        if (give === 0) return 0;
        try {
          if (row) {
            await client.updateEntity({ partitionKey, rowKey, granted: granted + give }, 'Merge', { etag: row.etag });
          } else {
            await client.createEntity({ partitionKey, rowKey, granted: give });
            void client.deleteEntity(partitionKey, String(window - 2)).catch(() => undefined);
          }
          return give;
        } catch (error) {
          // Another instance claimed first: read the new count and try again.
          if (!isConflict(error) && !isPreconditionFailed(error)) {
            return storeCall('budget.claim', () => Promise.reject(error));
          }
        }
      }
    },
  };
}

/** How much of a window's budget an instance claims at a time: a tenth, so a few instances share a window. */
const shareOf = (rule: BudgetRule): number => Math.max(1, Math.ceil(rule.limit / 10));

interface Held {
  readonly window: number;
  left: number;
  spent: boolean;
  claiming: Promise<void> | null;
}

/**
 * A request budget that holds across instances for rules marked `shared`. The local budget keeps this instance
 * within every rule over a sliding window; for a shared rule, a request also needs a share of the app-wide count of
 * its fixed window, claimed from the grant store a tenth of the budget at a time (one read and one write per tenth).
 * Together the instances then send at most the budget per fixed window (up to twice it across a window boundary,
 * where one instance alone stays within it). Per-vault rules stay local: a vault's unit runs on one instance.
 */
export function createSharedBudget(options: {
  readonly local: RequestBudget;
  readonly grants: GrantStore;
  readonly nowMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}): RequestBudget {
  const held = new Map<string, Held>();

  async function take(k: BudgetKey): Promise<void> {
    for (;;) {
      const window = Math.floor(options.nowMs() / k.rule.windowMs);
      let h = held.get(k.key);
      if (h?.window !== window) {
        h = { window, left: 0, spent: false, claiming: null };
        held.set(k.key, h);
      }
      if (h.left > 0) {
        h.left -= 1;
        return;
      }
      if (h.spent) {
        await options.sleep((window + 1) * k.rule.windowMs - options.nowMs() + 1);
        continue;
      }
      // One claim at a time per key: the requests waiting on it share what it brings.
      const current = h;
      current.claiming ??= options.grants
        .claim(k.key, window, shareOf(k.rule), k.rule.limit)
        .then((granted) => {
          current.left += granted;
          current.spent = granted === 0;
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
    pause: (key, untilMs) => options.local.pause(key, untilMs),
    peak: (key) => options.local.peak(key),
  };
}
