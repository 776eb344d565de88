import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { storeCall } from '../runtime/store-errors';
import type { InventoryItem, ItemType } from './inventory-item';
import { isExpiring, type ExpiringSeverity } from './expiring';
import type { Severity } from './severity';

export const EXPIRY_INDEX_TABLE = 'inventoryexpiry';
const PARTITION = 'exp';
const BATCH = 100;

/** One row of the index: what the expiring list shows, keyed so Table order is expiry order. */
export interface ExpiringRow {
  readonly rowKey: string;
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
export function expiringRow(item: InventoryItem, severity: Severity, excluded: boolean): ExpiringRow | null {
  if (excluded || !item.enabled || !item.expiresOn || !isExpiring(severity)) return null;
  return {
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

const fromEntity = (e: Record<string, unknown>): ExpiringRow => ({
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
 * A secondary index of expiring items in one partition, row key `<expiresAt>|<itemId>`: a page of the list sorted
 * by expiry is a range read that does not grow with the inventory. Rebuilt by difference at each evaluation.
 */
export function createExpiryIndex(table: () => Promise<TableClient>) {
  async function readAll(): Promise<Map<string, ExpiringRow>> {
    const client = await table();
    const rows = new Map<string, ExpiringRow>();
    await storeCall('expiryIndex.readAll', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
        const row = fromEntity(e);
        rows.set(row.rowKey, row);
      }
    });
    return rows;
  }

  /** Makes the index hold exactly `desired`; returns how many rows changed. */
  async function sync(desired: readonly ExpiringRow[]): Promise<number> {
    const client = await table();
    const existing = await readAll();
    const actions: TransactionAction[] = [];
    const wanted = new Set<string>();
    for (const row of desired) {
      wanted.add(row.rowKey);
      const old = existing.get(row.rowKey);
      if (old && JSON.stringify(old) === JSON.stringify(row)) continue;
      const { rowKey, ...rest } = row;
      const props = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
      actions.push(['upsert', { partitionKey: PARTITION, rowKey, ...props }, 'Replace']);
    }
    for (const rowKey of existing.keys()) {
      if (!wanted.has(rowKey)) actions.push(['delete', { partitionKey: PARTITION, rowKey }]);
    }
    for (let i = 0; i < actions.length; i += BATCH) {
      const chunk = actions.slice(i, i + BATCH);
      await storeCall('expiryIndex.sync', () => client.submitTransaction(chunk));
    }
    return actions.length;
  }

  /** Up to `limit` rows after `afterRowKey` in expiry order, and whether more follow. */
  async function page(filter: ExpiringFilter, afterRowKey: string | null, limit: number) {
    const client = await table();
    const parts = [odata`PartitionKey eq ${PARTITION}`];
    if (afterRowKey) parts.push(odata`RowKey gt ${afterRowKey}`);
    if (filter.severity) parts.push(odata`severity eq ${filter.severity}`);
    if (filter.type) parts.push(odata`itemType eq ${filter.type}`);
    if (filter.vault) parts.push(odata`vaultName eq ${filter.vault}`);
    if (filter.subscription) {
      parts.push(odata`(subscriptionId eq ${filter.subscription} or subscriptionName eq ${filter.subscription})`);
    }
    const rows: ExpiringRow[] = [];
    await storeCall('expiryIndex.page', async () => {
      const pages = client
        .listEntities({ queryOptions: { filter: parts.join(' and ') } })
        .byPage({ maxPageSize: limit + 1 });
      for await (const p of pages) {
        for (const e of p) rows.push(fromEntity(e));
        if (rows.length > limit) break;
      }
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  return { sync, page };
}

export type ExpiryIndex = ReturnType<typeof createExpiryIndex>;
