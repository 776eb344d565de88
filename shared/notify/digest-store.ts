import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { storeCall } from '../runtime/store-errors';
import type { ChannelType, NotifyEvent } from './notify-schemas';

export const NOTIFY_DIGEST_TABLE = 'NotifyDigest';
const BATCH = 100;

/** One event waiting for its rule's digest. */
export interface DigestEntry {
  readonly ruleId: string;
  readonly channel: ChannelType;
  readonly teamName: string;
  readonly event: NotifyEvent;
}

/**
 * Events of digest-mode rules, collected between digests: one partition per rule, one row per event key (so
 * an evaluation that runs twice adds nothing twice).
 */
export interface DigestStore {
  add(entries: readonly DigestEntry[]): Promise<void>;
  pending(): Promise<Map<string, { rowKey: string; entry: DigestEntry }[]>>;
  remove(ruleId: string, rowKeys: readonly string[]): Promise<void>;
}

const rowKeyOf = (eventKey: string): string => createHash('sha256').update(eventKey).digest('hex');

export function createDigestStore(deps: { table: () => Promise<TableClient> }): DigestStore {
  const submit = async (table: TableClient, actions: TransactionAction[]): Promise<void> => {
    for (let i = 0; i < actions.length; i += BATCH) {
      const chunk = actions.slice(i, i + BATCH);
      await storeCall('digest.write', () => table.submitTransaction(chunk));
    }
  };
  return {
    async add(entries) {
      const table = await deps.table();
      const byRule = new Map<string, TransactionAction[]>();
      for (const entry of entries) {
        const actions = byRule.get(entry.ruleId) ?? [];
        actions.push([
          'upsert',
          { partitionKey: entry.ruleId, rowKey: rowKeyOf(entry.event.key), json: JSON.stringify(entry) },
          'Replace',
        ]);
        byRule.set(entry.ruleId, actions);
      }
      for (const actions of byRule.values()) await submit(table, actions);
    },
    async pending() {
      const table = await deps.table();
      return storeCall('digest.list', async () => {
        const out = new Map<string, { rowKey: string; entry: DigestEntry }[]>();
        for await (const row of table.listEntities<{ json: string }>()) {
          const entry = JSON.parse(row.json) as DigestEntry;
          out.set(entry.ruleId, [...(out.get(entry.ruleId) ?? []), { rowKey: row.rowKey ?? '', entry }]);
        }
        return out;
      });
    },
    async remove(ruleId, rowKeys) {
      const table = await deps.table();
      await submit(
        table,
        rowKeys.map((rowKey) => ['delete', { partitionKey: ruleId, rowKey }]),
      );
    },
  };
}
