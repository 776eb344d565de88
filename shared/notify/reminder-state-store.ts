import type { TableClient, TransactionAction } from '@azure/data-tables';
import { storeCall, storeGet } from '../runtime/store-errors';
import { keyOf } from './notify-config-store';
import type { ReminderState } from './reminder-engine';

export const NOTIFY_STATE_TABLE = 'NotifyState';
const PARTITION = 'item';
const BATCH = 100;

/** What the reminder engine remembers per item between scans (one row per item, the state as JSON). */
export interface ReminderStateStore {
  load(): Promise<Map<string, ReminderState>>;
  /** Writes the engine's outcome: a state upserts, `null` deletes. Batched per 100 (one partition). */
  apply(changes: ReadonlyMap<string, ReminderState | null>): Promise<void>;
}

export function createReminderStateStore(deps: { table: () => Promise<TableClient> }): ReminderStateStore {
  return {
    async load() {
      const table = await deps.table();
      return storeCall('reminderState.load', async () => {
        const states = new Map<string, ReminderState>();
        const filter = `PartitionKey eq '${PARTITION}'`;
        for await (const row of table.listEntities<{ json: string }>({ queryOptions: { filter } })) {
          const state = JSON.parse(row.json) as ReminderState;
          states.set(state.item.id, state);
        }
        return states;
      });
    },
    async apply(changes) {
      const table = await deps.table();
      const actions: TransactionAction[] = [...changes].map(([id, state]) =>
        state === null
          ? ['delete', { partitionKey: PARTITION, rowKey: keyOf(id) }]
          : ['upsert', { partitionKey: PARTITION, rowKey: keyOf(id), json: JSON.stringify(state) }, 'Replace'],
      );
      for (let i = 0; i < actions.length; i += BATCH) {
        const batch = actions.slice(i, i + BATCH);
        await storeCall('reminderState.apply', async () => {
          try {
            await table.submitTransaction(batch);
          } catch {
            // A delete of a row that is already gone fails the whole batch; fall back to one call per row.
            for (const action of batch) {
              if (action[0] === 'delete')
                await storeGet('reminderState.delete', () =>
                  table.deleteEntity(action[1].partitionKey, action[1].rowKey),
                );
              else await table.upsertEntity(action[1], 'Replace');
            }
          }
        });
      }
    },
  };
}
