import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { groupBy } from '../runtime/group-by';
import { storeCall } from '../runtime/store-errors';
import { submitActions } from '../runtime/table-transactions';
import type { ChannelType, NotifyEvent } from './notify-schemas';

export const NOTIFY_DIGEST_TABLE = 'NotifyDigest';

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
  const submit = (table: TableClient, actions: TransactionAction[]) => submitActions(table, 'digest.write', actions);
  return {
    async add(entries) {
      const table = await deps.table();
      await submit(
        table,
        entries.map((entry) => [
          'upsert',
          { partitionKey: entry.ruleId, rowKey: rowKeyOf(entry.event.key), json: JSON.stringify(entry) },
          'Replace',
        ]),
      );
    },
    async pending() {
      const table = await deps.table();
      return storeCall('digest.list', async () => {
        const rows: { rowKey: string; entry: DigestEntry }[] = [];
        for await (const row of table.listEntities<{ json: string }>()) {
          rows.push({ rowKey: row.rowKey ?? '', entry: JSON.parse(row.json) as DigestEntry });
        }
        return groupBy(rows, (r) => r.entry.ruleId);
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
