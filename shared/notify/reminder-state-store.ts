import type { TableClient, TransactionAction } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { createGate } from '../runtime/concurrency-gate';
import { storeCall, storeGet } from '../runtime/store-errors';
import { evenSplits, listInRanges } from '../runtime/table-ranges';
import { transactionsOf } from '../runtime/table-transactions';
import { keyOf } from './notify-config-store';
import type { ReminderState } from './reminder-engine';

export const NOTIFY_STATE_TABLE = 'NotifyState';
/** Transactions in flight at once (different partitions). */
const CONCURRENCY = 8;

/**
 * Rows are spread over hashed partitions. One partition took every item's row: Table Storage serves a partition
 * from one server (about 2,000 entities a second), so a large estate's reminders queued behind it, and Azurite
 * searches a partition row by row, so locally every write slowed with the estate (15 s for 13,500 rows).
 */
const BUCKETS = 64;
const bucketOf = (id: string): string =>
  `b${String(createHash('sha256').update(id).digest().readUInt16BE(0) % BUCKETS).padStart(2, '0')}`;
const BUCKET_SPLITS = evenSplits(
  Array.from({ length: BUCKETS }, (_, i) => `b${String(i).padStart(2, '0')}`),
  CONCURRENCY,
);

/** What the reminder engine remembers per item between scans (one row per item, the state as JSON). */
export interface ReminderStateStore {
  load(): Promise<Map<string, ReminderState>>;
  /** Writes the engine's outcome: a state upserts, `null` deletes. Batched per 100 within a partition. */
  apply(changes: ReadonlyMap<string, ReminderState | null>): Promise<void>;
}

interface Row {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly state: ReminderState;
}

export function createReminderStateStore(deps: { table: () => Promise<TableClient> }): ReminderStateStore {
  // Rows load() found outside their bucket (written before the buckets, in one `item` partition): apply() moves them.
  let misplaced: Row[] = [];

  async function submit(table: TableClient, batch: TransactionAction[]): Promise<void> {
    await storeCall('reminderState.apply', async () => {
      try {
        await table.submitTransaction(batch);
      } catch {
        // A delete of a row that is already gone fails the whole batch; fall back to one call per row.
        for (const action of batch) {
          if (action[0] === 'delete')
            await storeGet('reminderState.delete', () => table.deleteEntity(action[1].partitionKey, action[1].rowKey));
          else await table.upsertEntity(action[1], 'Replace');
        }
      }
    });
  }

  return {
    async load() {
      const table = await deps.table();
      const rows = await listInRanges(table, 'reminderState.load', BUCKET_SPLITS, ['json'], (e) => ({
        partitionKey: String(e.partitionKey),
        rowKey: String(e.rowKey),
        state: JSON.parse(String(e.json)) as ReminderState,
      }));
      misplaced = rows.filter((r) => r.partitionKey !== bucketOf(r.state.item.id));
      return new Map(rows.map((r) => [r.state.item.id, r.state]));
    },
    async apply(changes) {
      const table = await deps.table();
      const actions: TransactionAction[] = [];
      for (const [id, state] of changes) {
        const key = { partitionKey: bucketOf(id), rowKey: keyOf(id) };
        actions.push(state === null ? ['delete', key] : ['upsert', { ...key, json: JSON.stringify(state) }, 'Replace']);
      }
      // An old row is rewritten in its bucket (unless this change set already decides it) and removed.
      for (const row of misplaced) {
        const id = row.state.item.id;
        if (!changes.has(id)) {
          const moved = { partitionKey: bucketOf(id), rowKey: row.rowKey, json: JSON.stringify(row.state) };
          actions.push(['upsert', moved, 'Replace']);
        }
        actions.push(['delete', { partitionKey: row.partitionKey, rowKey: row.rowKey }]);
      }
      misplaced = [];
      const batches = transactionsOf(actions);
      const gate = createGate(CONCURRENCY);
      await Promise.all(batches.map((batch) => gate(() => submit(table, batch))));
    },
  };
}
