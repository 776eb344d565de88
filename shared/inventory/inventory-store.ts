import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { storeCall, storeGet } from '../runtime/store-errors';
import { listInRanges } from '../runtime/table-ranges';
import { submitActions } from '../runtime/table-transactions';
import { fromItemEntity, toItemEntity } from './inventory-entity';
import { splitItemId, type InventoryItem } from './inventory-item';
import type { Severity } from './severity';

export const INVENTORY_TABLE = 'inventory';

/** An item's keys and the properties a read selected. */
type ItemFields<K extends keyof InventoryItem> = Pick<InventoryItem, K | 'id' | 'partition' | 'row'>;

export interface EvaluationChange {
  readonly partition: string;
  readonly row: string;
  readonly severity: Severity;
  readonly excluded: boolean;
}

export interface AssetQuery {
  readonly type?: string;
  readonly severity?: Severity;
  readonly vault?: string;
  readonly subscription?: string;
  readonly limit: number;
  readonly continuationToken?: string;
}

/**
 * The inventory: one row per credential, partitioned by vault (or by tenant for app registrations). Every write is
 * keyed by the item's id and the whole partition is reconciled at once, so a redelivered vault message rewrites
 * the same rows and items gone from the vault disappear from the inventory.
 */
export function createInventoryStore(table: () => Promise<TableClient>) {
  const submit = (client: TableClient, actions: TransactionAction[]) =>
    submitActions(client, 'inventory.transaction', actions);

  /** Items of one partition (a vault, or the tenant's app registrations). */
  async function readPartition(partition: string): Promise<InventoryItem[]> {
    const client = await table();
    const items: InventoryItem[] = [];
    const filter = odata`PartitionKey eq ${partition}`;
    await storeCall('inventory.readPartition', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter } })) items.push(fromItemEntity(e));
    });
    return items;
  }

  /**
   * Makes a partition hold exactly `items`: upserts every one, deletes rows no longer listed. Idempotent, so a
   * redelivered message converges to the same state. `stored` is the partition as the caller already read it
   * (saves a second read); a row written since by a redelivery of the same unit holds the same items.
   */
  async function replacePartition(
    partition: string,
    items: readonly InventoryItem[],
    stored?: readonly Pick<InventoryItem, 'row'>[],
  ): Promise<{ removed: number }> {
    const client = await table();
    const existing = stored ?? (await readPartition(partition));
    const keep = new Set(items.map((i) => i.row));
    const actions: TransactionAction[] = items.map((i) => ['upsert', toItemEntity(i), 'Replace']);
    const gone = existing.filter((e) => !keep.has(e.row));
    for (const e of gone) actions.push(['delete', { partitionKey: partition, rowKey: e.row }]);
    await submit(client, actions);
    return { removed: gone.length };
  }

  async function deletePartition(partition: string): Promise<number> {
    const client = await table();
    const existing = await readPartition(partition);
    await submit(
      client,
      existing.map((e) => ['delete', { partitionKey: partition, rowKey: e.row }]),
    );
    return existing.length;
  }

  /**
   * Every item, partition by partition; the reminder engine and the evaluation read the inventory this way.
   * `select` reads only those properties (the others come back as their empty values), to keep big reads light.
   */
  async function* listAll(select?: readonly (keyof InventoryItem)[]): AsyncGenerator<InventoryItem> {
    const client = await table();
    const options = select ? { queryOptions: { select: ['PartitionKey', 'RowKey', ...select] } } : {};
    for await (const e of client.listEntities(options)) yield fromItemEntity(e);
  }

  /**
   * Every item at once, read as partition ranges split at `splits` side by side (`table-ranges.ts`): the close of a
   * scan reads the whole inventory and a single listing is a chain of page round trips. Each item holds its keys and
   * the `select`ed properties only: the close keeps them all in memory, and full items took 40% more.
   */
  async function readAll<K extends keyof InventoryItem>(
    select: readonly K[],
    splits: readonly string[],
  ): Promise<ItemFields<K>[]> {
    const client = await table();
    const keys = ['id', 'partition', 'row', ...select] as const;
    return listInRanges(client, 'inventory.readAll', splits, select, (e) => {
      const item = fromItemEntity(e);
      return Object.fromEntries(keys.map((key) => [key, item[key]])) as ItemFields<K>;
    });
  }

  async function get(id: string): Promise<InventoryItem | null> {
    const key = splitItemId(id);
    if (!key) return null;
    const client = await table();
    const entity = await storeGet('inventory.get', () => client.getEntity(key.partition, key.row));
    return entity ? fromItemEntity(entity) : null;
  }

  /** Writes severity and tier exclusion decided at evaluation (merge: other properties stay). */
  async function applyEvaluation(changes: readonly EvaluationChange[]): Promise<void> {
    const client = await table();
    await submit(
      client,
      changes.map((c) => [
        'update',
        { partitionKey: c.partition, rowKey: c.row, severity: c.severity, excluded: c.excluded },
        'Merge',
      ]),
    );
  }

  /** One page of included items matching the filters, in table order, with Table Storage's continuation. */
  async function query(q: AssetQuery): Promise<{ items: InventoryItem[]; continuationToken: string | null }> {
    const client = await table();
    const parts = ['excluded ne true'];
    if (q.type) parts.push(odata`type eq ${q.type}`);
    if (q.severity) parts.push(odata`severity eq ${q.severity}`);
    if (q.vault) parts.push(odata`vaultName eq ${q.vault}`);
    if (q.subscription)
      parts.push(odata`(subscriptionId eq ${q.subscription} or subscriptionName eq ${q.subscription})`);
    const pages = client
      .listEntities({ queryOptions: { filter: parts.join(' and ') } })
      .byPage({ maxPageSize: q.limit, ...(q.continuationToken ? { continuationToken: q.continuationToken } : {}) });
    const page = await storeCall('inventory.query', async () => (await pages.next()).value);
    if (!page) return { items: [], continuationToken: null };
    return { items: page.map(fromItemEntity), continuationToken: page.continuationToken ?? null };
  }

  return { readPartition, replacePartition, deletePartition, listAll, readAll, get, applyEvaluation, query };
}

export type InventoryStore = ReturnType<typeof createInventoryStore>;
