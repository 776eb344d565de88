import type { TableClient } from '@azure/data-tables';
import type { Role } from './auth-roles';
import { storeCall, storeGet } from '../runtime/store-errors';

export const API_KEYS_TABLE = 'KeywardApiKeys';
const PARTITION = 'apikey';

/** A stored key: only its SHA-256 hash, never the key. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly hash: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  /**
   * `<tenant id>/<object id>` of the person whose admin role the key depends on (for a key made with another
   * key, that key's creator). Null on keys created before creators were recorded.
   */
  readonly creatorId: string | null;
}

interface ApiKeyEntity extends Omit<ApiKeyRecord, 'id' | 'expiresAt' | 'lastUsedAt' | 'creatorId'> {
  partitionKey: string;
  rowKey: string;
  // Table Storage has no null: an empty string stands for "not set".
  expiresAt: string;
  lastUsedAt: string;
  creatorId?: string;
}

export interface ApiKeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  /** True if a key was deleted. */
  remove(id: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

const toRecord = (e: ApiKeyEntity): ApiKeyRecord => ({
  id: e.rowKey,
  name: e.name,
  role: e.role,
  prefix: e.prefix,
  hash: e.hash,
  createdAt: e.createdAt,
  createdBy: e.createdBy,
  expiresAt: e.expiresAt || null,
  lastUsedAt: e.lastUsedAt || null,
  creatorId: e.creatorId || null,
});

export function createApiKeyStore(table: () => Promise<TableClient>): ApiKeyStore {
  return {
    async insert(r) {
      const client = await table();
      const entity: ApiKeyEntity = {
        partitionKey: PARTITION,
        rowKey: r.id,
        name: r.name,
        role: r.role,
        prefix: r.prefix,
        hash: r.hash,
        createdAt: r.createdAt,
        createdBy: r.createdBy,
        expiresAt: r.expiresAt ?? '',
        lastUsedAt: r.lastUsedAt ?? '',
        creatorId: r.creatorId ?? '',
      };
      await storeCall('apiKeys.insert', () => client.createEntity(entity));
    },
    async get(id) {
      const client = await table();
      const entity = await storeGet('apiKeys.get', () => client.getEntity<ApiKeyEntity>(PARTITION, id));
      return entity ? toRecord(entity) : null;
    },
    async list() {
      const client = await table();
      return storeCall('apiKeys.list', async () => {
        const records: ApiKeyRecord[] = [];
        const rows = client.listEntities<ApiKeyEntity>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } });
        for await (const entity of rows) records.push(toRecord(entity));
        return records;
      });
    },
    async remove(id) {
      const client = await table();
      const deleted = await storeGet('apiKeys.remove', () => client.deleteEntity(PARTITION, id));
      return deleted !== null;
    },
    async touch(id, at) {
      const client = await table();
      await storeGet('apiKeys.touch', () =>
        client.updateEntity({ partitionKey: PARTITION, rowKey: id, lastUsedAt: at }, 'Merge'),
      );
    },
  };
}
