import type { TableClient } from '@azure/data-tables';
import { isConflict, isPreconditionFailed, storeCall, storeGet } from './store-errors';

/** A row as read for an update: its properties and the ETag the write is conditioned on. */
export type ReadRow = Record<string, unknown> & { etag: string };

/**
 * Changes one row under optimistic concurrency. `decide` sees the row (null when absent) and returns the properties
 * to write — the new row, or a merge into the existing one under its ETag — or null to leave it. A lost race (409 on
 * create, 412 on update) reads the row again and decides again, so `decide` may run more than once.
 */
export async function updateRow(
  client: TableClient,
  operation: string,
  partitionKey: string,
  rowKey: string,
  decide: (row: ReadRow | null) => Record<string, unknown> | null,
): Promise<'created' | 'updated' | 'unchanged'> {
  for (;;) {
    const row = await storeGet<ReadRow>(operation, () => client.getEntity(partitionKey, rowKey));
    const next = decide(row);
    if (!next) return 'unchanged';
    try {
      if (row) {
        await client.updateEntity({ ...next, partitionKey, rowKey }, 'Merge', { etag: row.etag });
        return 'updated';
      }
      await client.createEntity({ ...next, partitionKey, rowKey });
      return 'created';
    } catch (error) {
      if (!isConflict(error) && !isPreconditionFailed(error)) return storeCall(operation, () => Promise.reject(error));
    }
  }
}
