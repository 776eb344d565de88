import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { storeCall } from '../runtime/store-errors';
import { evenSplits, listInRanges, READ_RANGES } from '../runtime/table-ranges';
import { submitActions } from '../runtime/table-transactions';
import type { InventoryItem, ItemType } from './inventory-item';
import { isExpiring, type ExpiringSeverity } from './expiring';
import type { Severity } from './severity';

export const EXPIRY_INDEX_TABLE = 'inventoryexpiry';

/** Where a row sits in index order: its partition, then its row key. */
export interface IndexPosition {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** One row of the index: what the expiring list shows, keyed so Table order is expiry order (to the day). */
export interface ExpiringRow extends IndexPosition {
  readonly itemId: string;
  readonly itemName: string;
  readonly vaultName: string | null;
  readonly subscriptionId: string | null;
  readonly subscriptionName: string | null;
  readonly itemType: ItemType;
  readonly expiresAt: string;
  readonly severity: ExpiringSeverity;
}

export interface ExpiringFilter {
  readonly severity?: ExpiringSeverity;
  readonly type?: ItemType;
  readonly vault?: string;
  readonly subscription?: string;
}

/** The index row for an item, or null when the item does not belong in the expiring list. */
export function expiringRow(
  item: Pick<
    InventoryItem,
    'id' | 'name' | 'type' | 'enabled' | 'expiresOn' | 'vaultName' | 'subscriptionId' | 'subscriptionName'
  >,
  severity: Severity,
  excluded: boolean,
): ExpiringRow | null {
  if (excluded || !item.enabled || !item.expiresOn || !isExpiring(severity)) return null;
  return {
    // One partition per expiry day, so Table order (partition, then row) is expiry order. A day holds every item
    // expiring that day — up to 100 per transaction when the index is rebuilt. (Spreading a day over 16 hashed
    // buckets, as before, cut those transactions to a few rows each: 16× the round trips for nothing.)
    partitionKey: item.expiresOn.slice(0, 10),
    rowKey: `${item.expiresOn}|${item.id}`,
    itemId: item.id,
    itemName: item.name,
    vaultName: item.vaultName,
    subscriptionId: item.subscriptionId,
    subscriptionName: item.subscriptionName,
    itemType: item.type,
    expiresAt: item.expiresOn,
    severity,
  };
}

export const compareRows = (a: IndexPosition, b: IndexPosition): number =>
  a.partitionKey < b.partitionKey
    ? -1
    : a.partitionKey > b.partitionKey
      ? 1
      : a.rowKey < b.rowKey
        ? -1
        : a.rowKey > b.rowKey
          ? 1
          : 0;

const positionKey = (p: IndexPosition): string => `${p.partitionKey}/${p.rowKey}`;

const fromEntity = (e: Record<string, unknown>): ExpiringRow => ({
  partitionKey: String(e.partitionKey),
  rowKey: String(e.rowKey),
  itemId: String(e.itemId),
  itemName: String(e.itemName),
  vaultName: typeof e.vaultName === 'string' ? e.vaultName : null,
  subscriptionId: typeof e.subscriptionId === 'string' ? e.subscriptionId : null,
  subscriptionName: typeof e.subscriptionName === 'string' ? e.subscriptionName : null,
  itemType: e.itemType as ItemType,
  expiresAt: String(e.expiresAt),
  severity: e.severity as ExpiringSeverity,
});

/**
 * A secondary index of expiring items keyed `<expiry day>` / `<expiresAt>|<itemId>`: a page of the list
 * sorted by expiry is a key-range read that does not grow with the inventory. Rebuilt by difference at evaluation.
 */
export function createExpiryIndex(table: () => Promise<TableClient>) {
  /** Every row, read in day ranges side by side (split where the wanted rows are: the index mostly holds them). */
  async function readAll(client: TableClient, splits: readonly string[]): Promise<Map<string, ExpiringRow>> {
    const rows = await listInRanges(client, 'expiryIndex.readAll', splits, undefined, fromEntity);
    return new Map(rows.map((row) => [positionKey(row), row]));
  }

  /** Makes the index hold exactly `desired`; returns how many rows changed. */
  async function sync(desired: readonly ExpiringRow[]): Promise<number> {
    const client = await table();
    const existing = await readAll(
      client,
      evenSplits(
        desired.map((r) => r.partitionKey),
        READ_RANGES,
      ),
    );
    const actions: TransactionAction[] = [];
    for (const row of desired) {
      const key = positionKey(row);
      const old = existing.get(key);
      // What stays in `existing` is no longer wanted.
      existing.delete(key);
      if (old && JSON.stringify(old) === JSON.stringify(row)) continue;
      const props = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
      actions.push(['upsert', { ...props, partitionKey: row.partitionKey, rowKey: row.rowKey }, 'Replace']);
    }
    for (const row of existing.values()) {
      actions.push(['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]);
    }
    // Partitions are independent: a few transactions in flight at once.
    await submitActions(client, 'expiryIndex.sync', actions, 4);
    return actions.length;
  }

  /** Up to `limit` rows after `after` in index order, and whether more follow. */
  async function page(filter: ExpiringFilter, after: IndexPosition | null, limit: number) {
    const client = await table();
    const parts: string[] = [];
    if (after) {
      parts.push(
        `(${odata`PartitionKey gt ${after.partitionKey}`} or (${odata`PartitionKey eq ${after.partitionKey}`} and ${odata`RowKey gt ${after.rowKey}`}))`,
      );
    }
    if (filter.severity) parts.push(odata`severity eq ${filter.severity}`);
    if (filter.type) parts.push(odata`itemType eq ${filter.type}`);
    if (filter.vault) parts.push(odata`vaultName eq ${filter.vault}`);
    if (filter.subscription) {
      parts.push(odata`(subscriptionId eq ${filter.subscription} or subscriptionName eq ${filter.subscription})`);
    }
    const rows: ExpiringRow[] = [];
    await storeCall('expiryIndex.page', async () => {
      const query = parts.length > 0 ? { queryOptions: { filter: parts.join(' and ') } } : {};
      for await (const p of client.listEntities(query).byPage({ maxPageSize: limit + 1 })) {
        for (const e of p) rows.push(fromEntity(e));
        if (rows.length > limit) break;
      }
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  return { sync, page };
}

export type ExpiryIndex = ReturnType<typeof createExpiryIndex>;
