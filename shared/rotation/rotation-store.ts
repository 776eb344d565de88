import type { TableClient } from '@azure/data-tables';
import { updateRow } from '../runtime/row-update';
import { isConflict, isPreconditionFailed, storeCall, storeGet, StoreError } from '../runtime/store-errors';
import type { InventoryApp, RotationRecord, StoredRotation } from './rotation-types';

export const ROTATION_RECORDS_TABLE = 'RotationRecords';
export const ROTATIONS_TABLE = 'Rotations';
export const ROTATION_LOCKS_TABLE = 'RotationLocks';
export const ROTATION_INVENTORY_TABLE = 'RotationInventory';

const RECORD_PK = 'record';
const ROTATION_PK = 'rotation';
const LOCK_PK = 'app';
const INVENTORY_PK = 'app';

/** Rows hold their document as one JSON column: records and rotations are read whole and are small. */
type DocRow = { partitionKey: string; rowKey: string; doc: string; etag?: string };

const parse = <T>(row: Record<string, unknown> | null): T | null =>
  row && typeof row.doc === 'string' ? (JSON.parse(row.doc) as T) : null;

export interface RotationStore {
  getRecord(id: string): Promise<RotationRecord | null>;
  listRecords(): Promise<RotationRecord[]>;
  /** Inserts a new record; false if the id exists. */
  createRecord(record: RotationRecord): Promise<boolean>;
  /** Read-modify-write under the row's ETag; `change` may run more than once. Null when absent. */
  updateRecord(id: string, change: (r: RotationRecord) => RotationRecord): Promise<RotationRecord | null>;
  getRotation(id: string): Promise<StoredRotation | null>;
  listRotations(): Promise<StoredRotation[]>;
  createRotation(rotation: StoredRotation): Promise<void>;
  /** Removes a rotation that never started (its request lost the lock or the quota). */
  deleteRotation(id: string): Promise<void>;
  updateRotation(id: string, change: (r: StoredRotation) => StoredRotation): Promise<StoredRotation>;
  /**
   * Takes the per-application lock for `rotationId`. Answers null when taken, else the id of the rotation that
   * holds it. `isStale` says whether a holder may be replaced (its rotation finished or never got written).
   */
  lock(appObjectId: string, rotationId: string, isStale: (holder: string) => Promise<boolean>): Promise<string | null>;
  /** Releases the lock if `rotationId` holds it. */
  unlock(appObjectId: string, rotationId: string): Promise<void>;
  lockHolder(appObjectId: string): Promise<string | null>;
  replaceInventory(apps: readonly InventoryApp[], discoveredAt: string): Promise<void>;
  inventory(): Promise<{ applications: InventoryApp[]; discoveredAt: string | null }>;
}

export function createRotationStore(tables: {
  records: () => Promise<TableClient>;
  rotations: () => Promise<TableClient>;
  locks: () => Promise<TableClient>;
  inventory: () => Promise<TableClient>;
}): RotationStore {
  async function listDocs<T>(table: () => Promise<TableClient>, pk: string, op: string): Promise<T[]> {
    const client = await table();
    return storeCall(op, async () => {
      const out: T[] = [];
      for await (const row of client.listEntities<DocRow>({ queryOptions: { filter: `PartitionKey eq '${pk}'` } })) {
        const doc = parse<T>(row);
        if (doc) out.push(doc);
      }
      return out;
    });
  }

  async function change<T>(
    table: () => Promise<TableClient>,
    pk: string,
    id: string,
    op: string,
    apply: (current: T) => T,
  ): Promise<T | null> {
    const client = await table();
    let result: T | null = null;
    await updateRow(client, op, pk, id, (row) => {
      const current = parse<T>(row);
      if (!current) {
        result = null;
        return null;
      }
      result = apply(current);
      return { doc: JSON.stringify(result) };
    });
    return result;
  }

  return {
    async getRecord(id) {
      const client = await tables.records();
      return parse(await storeGet('rotation.getRecord', () => client.getEntity<DocRow>(RECORD_PK, id)));
    },
    listRecords: () => listDocs(tables.records, RECORD_PK, 'rotation.listRecords'),
    async createRecord(record) {
      const client = await tables.records();
      try {
        await client.createEntity({ partitionKey: RECORD_PK, rowKey: record.id, doc: JSON.stringify(record) });
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        throw new StoreError('rotation.createRecord', undefined);
      }
    },
    updateRecord: (id, apply) => change(tables.records, RECORD_PK, id, 'rotation.updateRecord', apply),
    async getRotation(id) {
      const client = await tables.rotations();
      return parse(await storeGet('rotation.getRotation', () => client.getEntity<DocRow>(ROTATION_PK, id)));
    },
    listRotations: () => listDocs(tables.rotations, ROTATION_PK, 'rotation.listRotations'),
    async createRotation(rotation) {
      const client = await tables.rotations();
      await storeCall('rotation.createRotation', () =>
        client.createEntity({ partitionKey: ROTATION_PK, rowKey: rotation.rotationId, doc: JSON.stringify(rotation) }),
      );
    },
    async deleteRotation(id) {
      const client = await tables.rotations();
      await storeGet('rotation.deleteRotation', () => client.deleteEntity(ROTATION_PK, id));
    },
    async updateRotation(id, apply) {
      const updated = await change(tables.rotations, ROTATION_PK, id, 'rotation.updateRotation', apply);
      if (!updated) throw new StoreError('rotation.updateRotation', 404);
      return updated;
    },
    async lock(appObjectId, rotationId, isStale) {
      const client = await tables.locks();
      for (;;) {
        const row = await storeGet('rotation.lock', () =>
          client.getEntity<{ rotationId: string; etag: string }>(LOCK_PK, appObjectId),
        );
        try {
          if (!row) {
            await client.createEntity({ partitionKey: LOCK_PK, rowKey: appObjectId, rotationId });
            return null;
          }
          if (row.rotationId === rotationId) return null;
          if (!(await isStale(row.rotationId))) return row.rotationId;
          await client.updateEntity({ partitionKey: LOCK_PK, rowKey: appObjectId, rotationId }, 'Replace', {
            etag: row.etag,
          });
          return null;
        } catch (error) {
          // Another caller took or changed the lock between our read and write: read it again.
          if (!isConflict(error) && !isPreconditionFailed(error)) throw new StoreError('rotation.lock', undefined);
        }
      }
    },
    async unlock(appObjectId, rotationId) {
      const client = await tables.locks();
      const row = await storeGet('rotation.unlock', () =>
        client.getEntity<{ rotationId: string; etag: string }>(LOCK_PK, appObjectId),
      );
      if (!row || row.rotationId !== rotationId) return;
      await storeGet('rotation.unlock', () => client.deleteEntity(LOCK_PK, appObjectId, { etag: row.etag })).catch(
        (error: unknown) => {
          if (!(error instanceof StoreError && error.statusCode === 412)) throw error;
        },
      );
    },
    async lockHolder(appObjectId) {
      const client = await tables.locks();
      const row = await storeGet('rotation.lockHolder', () =>
        client.getEntity<{ rotationId: string }>(LOCK_PK, appObjectId),
      );
      return row?.rotationId ?? null;
    },
    async replaceInventory(apps, discoveredAt) {
      const client = await tables.inventory();
      const keep = new Set(apps.map((a) => a.appObjectId));
      await storeCall('rotation.replaceInventory', async () => {
        for (const app of apps) {
          await client.upsertEntity(
            { partitionKey: INVENTORY_PK, rowKey: app.appObjectId, doc: JSON.stringify(app) },
            'Replace',
          );
        }
        for await (const row of client.listEntities<DocRow>({
          queryOptions: { filter: `PartitionKey eq '${INVENTORY_PK}'`, select: ['RowKey'] },
        })) {
          if (!keep.has(row.rowKey)) await client.deleteEntity(INVENTORY_PK, row.rowKey);
        }
        await client.upsertEntity({ partitionKey: 'meta', rowKey: 'discovery', discoveredAt }, 'Replace');
      });
    },
    async inventory() {
      const client = await tables.inventory();
      const meta = await storeGet('rotation.inventory', () =>
        client.getEntity<{ discoveredAt: string }>('meta', 'discovery'),
      );
      const applications = await listDocs<InventoryApp>(tables.inventory, INVENTORY_PK, 'rotation.inventory');
      return { applications, discoveredAt: meta?.discoveredAt ?? null };
    },
  };
}
