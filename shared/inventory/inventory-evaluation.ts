import { evenSplits, READ_RANGES } from '../runtime/table-ranges';
import { itemsOverLimit } from '../scan/tier-limits';
import { compareRows, expiringRow, type ExpiringRow, type ExpiryIndex } from './expiry-index';
import type { InventoryStore, EvaluationChange } from './inventory-store';
import type { InventorySummary, SummaryStore } from './inventory-summary';
import { classify, severities, type Severity, type Thresholds } from './severity';

export const FIRST_PAGE_SIZE = 100;

/** What the evaluation needs of each item (tags and certificate details stay in storage). */
const EVALUATED_FIELDS = [
  'type',
  'name',
  'enabled',
  'expiresOn',
  'vaultName',
  'subscriptionId',
  'subscriptionName',
  'severity',
  'excluded',
] as const;

export interface EvaluationInput {
  readonly scanId: string;
  readonly now: Date;
  readonly thresholds: Thresholds;
  readonly itemLimit: number | null;
  readonly vaultCount: number;
  readonly subscriptionCount: number;
  /** The partitions the estate knows of: they only balance the parallel read, every stored item is read. */
  readonly partitions: readonly string[];
}

export interface PartitionCounts {
  /** Items kept (within the tier's item limit). */
  items: number;
  /** Items the tier's item limit left out: listed and stored, but not monitored. */
  leftOut: number;
  readonly bySeverity: Record<Severity, number>;
}

const zero = (): Record<Severity, number> =>
  Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * Runs when a scan closes: classifies every item with the current thresholds, applies the tier's item limit in its
 * fixed order, rewrites only the rows whose severity or exclusion changed, rebuilds the expiring index by
 * difference and writes the summary that `/api/stats` reads. Counts cover included, enabled items; disabled items
 * stay in the inventory and in `totalItems` but raise no severity. Safe to run again: it converges.
 */
export async function evaluateInventory(
  deps: { inventory: InventoryStore; index: ExpiryIndex; summary: SummaryStore },
  input: EvaluationInput,
): Promise<{ summary: InventorySummary; perPartition: Map<string, PartitionCounts> }> {
  const items = await deps.inventory.readAll(EVALUATED_FIELDS, evenSplits(input.partitions, READ_RANGES));
  const over = itemsOverLimit(items, input.itemLimit);
  const changes: EvaluationChange[] = [];
  const rows: ExpiringRow[] = [];
  const bySeverity = zero();
  const perPartition = new Map<string, PartitionCounts>();
  let total = 0;
  for (const item of items) {
    const severity = classify(item.expiresOn ? new Date(item.expiresOn) : null, input.now, input.thresholds);
    const excluded = over.has(item.id);
    if (severity !== item.severity || excluded !== item.excluded) {
      changes.push({ partition: item.partition, row: item.row, severity, excluded });
    }
    let counts = perPartition.get(item.partition);
    if (!counts) perPartition.set(item.partition, (counts = { items: 0, leftOut: 0, bySeverity: zero() }));
    if (excluded) {
      counts.leftOut += 1;
      continue;
    }
    total += 1;
    counts.items += 1;
    if (item.enabled) {
      counts.bySeverity[severity] += 1;
      bySeverity[severity] += 1;
    }
    const row = expiringRow(item, severity, excluded);
    if (row) rows.push(row);
  }
  await deps.inventory.applyEvaluation(changes);
  await deps.index.sync(rows);
  rows.sort(compareRows);
  const summary: InventorySummary = {
    scanId: input.scanId,
    evaluatedAt: input.now.toISOString(),
    totalItems: total,
    bySeverity,
    itemsLeftOut: over.size,
    vaultCount: input.vaultCount,
    subscriptionCount: input.subscriptionCount,
    firstPage: rows.slice(0, FIRST_PAGE_SIZE),
    firstPageHasMore: rows.length > FIRST_PAGE_SIZE,
  };
  await deps.summary.write(summary);
  return { summary, perPartition };
}
