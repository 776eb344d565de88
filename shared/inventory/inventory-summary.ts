import type { TableClient } from '@azure/data-tables';
import { storeCall, storeGet } from '../runtime/store-errors';
import type { ExpiringRow } from './expiry-index';
import type { Severity } from './severity';

export const SUMMARY_TABLE = 'inventorysummary';

/** Counts the evaluation writes once per scan, so `/api/stats` is one point read whatever the inventory size. */
export interface InventorySummary {
  readonly scanId: string;
  readonly evaluatedAt: string;
  readonly totalItems: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Items beyond the tier's item limit, left out of counts and lists. */
  readonly itemsLeftOut: number;
  readonly vaultCount: number;
  readonly subscriptionCount: number;
  /** The first page of the default expiring-items list (no filters), precomputed. */
  readonly firstPage: readonly ExpiringRow[];
  readonly firstPageHasMore: boolean;
}

/** Table string properties hold 64 KiB (32K UTF-16 characters); long JSON is split across properties. */
const CHUNK = 30_000;

export function createSummaryStore(table: () => Promise<TableClient>) {
  async function write(summary: InventorySummary): Promise<void> {
    const client = await table();
    const json = JSON.stringify(summary);
    const entity: Record<string, string | number> = { partitionKey: 'summary', rowKey: 'current' };
    let parts = 0;
    for (let i = 0; i < json.length; i += CHUNK) entity[`part${parts++}`] = json.slice(i, i + CHUNK);
    entity.parts = parts;
    await storeCall('summary.write', () =>
      client.upsertEntity({ ...entity, partitionKey: 'summary', rowKey: 'current' }, 'Replace'),
    );
  }

  async function read(): Promise<InventorySummary | null> {
    const client = await table();
    const entity = await storeGet<Record<string, unknown>>('summary.read', () =>
      client.getEntity('summary', 'current'),
    );
    if (!entity) return null;
    const parts = Number(entity.parts ?? 0);
    let json = '';
    for (let i = 0; i < parts; i += 1) json += String(entity[`part${i}`] ?? '');
    return JSON.parse(json) as InventorySummary;
  }

  return { write, read };
}

export type SummaryStore = ReturnType<typeof createSummaryStore>;
