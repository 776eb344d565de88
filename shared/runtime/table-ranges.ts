import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { createGate } from './concurrency-gate';
import { storeCall } from './store-errors';

/** Ranges read at once: enough to overlap round trips, few enough not to flood the storage account. */
const CONCURRENCY = 8;
/** How many ranges a whole-table read is cut into (twice the concurrency, so a slow range does not hold the rest). */
export const READ_RANGES = 16;

/**
 * Up to `parts - 1` split points that cut the sorted, distinct `keys` into `parts` ranges of about the same number
 * of keys. The ranges they make cover every key, listed or not: splits only balance the work.
 */
export function evenSplits(keys: Iterable<string>, parts: number): string[] {
  const sorted = [...new Set(keys)].sort();
  const splits: string[] = [];
  for (let i = 1; i < parts; i += 1) {
    const key = sorted[Math.floor((i * sorted.length) / parts)];
    if (key !== undefined && key !== splits.at(-1) && key !== sorted[0]) splits.push(key);
  }
  return splits;
}

/**
 * Every entity of a table, read as disjoint PartitionKey ranges side by side: `[-∞, s1)`, `[s1, s2)` … `[sn, ∞)`.
 * One listing walks the table page after page in key order, each page a round trip after the last; ranges on
 * different partitions are served in parallel (Azure Storage spreads partitions over servers, and Azurite, which
 * sorts what is left of the query for every page, sorts a range instead of the whole table). Order is not kept.
 * `select` names the properties to read besides the keys (all when omitted).
 */
export async function listInRanges<T>(
  client: TableClient,
  operation: string,
  splits: readonly string[],
  select: readonly string[] | undefined,
  map: (entity: TableEntityResult<Record<string, unknown>>) => T,
): Promise<T[]> {
  const bounds = [...splits].sort();
  const filters = Array.from({ length: bounds.length + 1 }, (_, i) => {
    const low = i > 0 ? odata`PartitionKey ge ${bounds[i - 1]}` : '';
    const high = i < bounds.length ? odata`PartitionKey lt ${bounds[i]}` : '';
    return [low, high].filter(Boolean).join(' and ');
  });
  // The keys always come back: they say which row a selection belongs to.
  const columns = select ? { select: [...new Set(['PartitionKey', 'RowKey', ...select])] } : {};
  const gate = createGate(CONCURRENCY);
  const results = await Promise.all(
    filters.map((filter) =>
      gate(async () => {
        const out: T[] = [];
        const queryOptions = { ...(filter ? { filter } : {}), ...columns };
        await storeCall(operation, async () => {
          for await (const e of client.listEntities<Record<string, unknown>>({ queryOptions })) out.push(map(e));
        });
        return out;
      }),
    ),
  );
  return results.flat();
}
