import type { TableClient } from '@azure/data-tables';
import { isConflict, isPreconditionFailed, storeCall, storeGet } from '../runtime/store-errors';
import { transactionsOf } from '../runtime/table-transactions';
import type {
  RecordStatus,
  SourceKind,
  SyncConnection,
  SyncHistoryEntry,
  SyncProviderKind,
  SyncRule,
} from './sync-schemas';

export const SYNC_CONFIGS_TABLE = 'KeywardSyncConfigs';
export const SYNC_RECORDS_TABLE = 'KeywardSyncRecords';
export const SYNC_HISTORY_TABLE = 'KeywardSyncHistory';

/** Where a config's credentials are: a secret version in Keyward's own Key Vault. Never the credentials. */
export interface CredentialRef {
  readonly secretName: string;
  readonly version: string;
}

export interface StoredConfig {
  readonly id: string;
  readonly name: string;
  readonly provider: SyncProviderKind;
  readonly enabled: boolean;
  readonly connection: SyncConnection;
  readonly credentialRef: CredentialRef | null;
  readonly rules: readonly SyncRule[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredRecord {
  readonly id: string;
  readonly configId: string;
  readonly provider: SyncProviderKind;
  readonly kind: SourceKind;
  readonly ruleIndex: number;
  readonly sourceVault: string;
  readonly sourceName: string;
  readonly targetName: string;
  readonly targetRef: string | null;
  readonly lastSyncedSourceVersion: string | null;
  /** The source's change stamp when it was last synced (see SourceObject.stamp). */
  readonly sourceStamp: string | null;
  readonly targetVersion: string | null;
  readonly status: RecordStatus;
  readonly reason: string | null;
  readonly lastError: string | null;
  readonly lastSyncedAt: string | null;
  /** An admin chose to leave this conflict alone: the planner no longer queues it. */
  readonly skippedByAdmin: boolean;
  /**
   * The push in flight: written before the write, so a redelivery after a crash or a lost response can tell its
   * own write (the target moved from `pendingBaseVersion`) from a change made outside Keyward.
   */
  readonly pendingSourceVersion: string | null;
  readonly pendingBaseVersion: string | null;
  readonly updatedAt: string;
}

const CONFIG = 'config';
const RECORD = 'record';
const HISTORY = 'history';

// Table Storage has no null and no nested objects: "" stands for null, JSON text for nested values.
const nul = (v: string | null): string => v ?? '';
const opt = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function configEntity(c: StoredConfig) {
  return {
    partitionKey: CONFIG,
    rowKey: c.id,
    name: c.name,
    provider: c.provider,
    enabled: c.enabled,
    connection: JSON.stringify(c.connection),
    credentialRef: c.credentialRef ? JSON.stringify(c.credentialRef) : '',
    rules: JSON.stringify(c.rules),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
function toConfig(e: Record<string, unknown>): StoredConfig {
  return {
    id: String(e.rowKey),
    name: String(e.name),
    provider: e.provider as SyncProviderKind,
    enabled: e.enabled === true,
    connection: JSON.parse(String(e.connection)) as SyncConnection,
    credentialRef: opt(e.credentialRef) ? (JSON.parse(String(e.credentialRef)) as CredentialRef) : null,
    rules: JSON.parse(String(e.rules)) as SyncRule[],
    createdAt: String(e.createdAt),
    updatedAt: String(e.updatedAt),
  };
}

function recordEntity(r: StoredRecord) {
  return {
    partitionKey: RECORD,
    rowKey: r.id,
    configId: r.configId,
    provider: r.provider,
    kind: r.kind,
    ruleIndex: r.ruleIndex,
    sourceVault: r.sourceVault,
    sourceName: r.sourceName,
    targetName: r.targetName,
    targetRef: nul(r.targetRef),
    lastSyncedSourceVersion: nul(r.lastSyncedSourceVersion),
    sourceStamp: nul(r.sourceStamp),
    targetVersion: nul(r.targetVersion),
    status: r.status,
    reason: nul(r.reason),
    lastError: nul(r.lastError),
    lastSyncedAt: nul(r.lastSyncedAt),
    skippedByAdmin: r.skippedByAdmin,
    pendingSourceVersion: nul(r.pendingSourceVersion),
    pendingBaseVersion: nul(r.pendingBaseVersion),
    updatedAt: r.updatedAt,
  };
}
function toRecord(e: Record<string, unknown>): StoredRecord & { etag: string } {
  return {
    id: String(e.rowKey),
    configId: String(e.configId),
    provider: e.provider as SyncProviderKind,
    kind: e.kind as SourceKind,
    ruleIndex: Number(e.ruleIndex ?? 0),
    sourceVault: String(e.sourceVault),
    sourceName: String(e.sourceName),
    targetName: String(e.targetName),
    targetRef: opt(e.targetRef),
    lastSyncedSourceVersion: opt(e.lastSyncedSourceVersion),
    sourceStamp: opt(e.sourceStamp),
    targetVersion: opt(e.targetVersion),
    status: e.status as RecordStatus,
    reason: opt(e.reason),
    lastError: opt(e.lastError),
    lastSyncedAt: opt(e.lastSyncedAt),
    skippedByAdmin: e.skippedByAdmin === true,
    pendingSourceVersion: opt(e.pendingSourceVersion),
    pendingBaseVersion: opt(e.pendingBaseVersion),
    updatedAt: String(e.updatedAt),
    etag: String(e.etag),
  };
}

/** The feature's three tables: configs, records (one per source object → target) and history. */
export function createSyncStore(tables: {
  configs: () => Promise<TableClient>;
  records: () => Promise<TableClient>;
  history: () => Promise<TableClient>;
}) {
  return {
    async listConfigs(): Promise<StoredConfig[]> {
      const client = await tables.configs();
      const out: StoredConfig[] = [];
      await storeCall('sync.configs.list', async () => {
        for await (const e of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${CONFIG}'` } })) {
          out.push(toConfig(e));
        }
      });
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async getConfig(id: string): Promise<StoredConfig | null> {
      const client = await tables.configs();
      const e = await storeGet('sync.configs.get', () => client.getEntity(CONFIG, id));
      return e ? toConfig(e) : null;
    },
    async putConfig(c: StoredConfig): Promise<void> {
      const client = await tables.configs();
      await storeCall('sync.configs.put', () => client.upsertEntity(configEntity(c), 'Replace'));
    },
    async deleteConfig(id: string): Promise<void> {
      const client = await tables.configs();
      await storeGet('sync.configs.delete', () => client.deleteEntity(CONFIG, id));
    },

    async listRecords(filter: { configId?: string | undefined } = {}): Promise<(StoredRecord & { etag: string })[]> {
      const client = await tables.records();
      const out: (StoredRecord & { etag: string })[] = [];
      const where = filter.configId
        ? `PartitionKey eq '${RECORD}' and configId eq '${filter.configId.replace(/'/g, "''")}'`
        : `PartitionKey eq '${RECORD}'`;
      await storeCall('sync.records.list', async () => {
        for await (const e of client.listEntities({ queryOptions: { filter: where } })) out.push(toRecord(e));
      });
      return out;
    },
    async getRecord(id: string): Promise<(StoredRecord & { etag: string }) | null> {
      const client = await tables.records();
      const e = await storeGet('sync.records.get', () => client.getEntity(RECORD, id));
      return e ? toRecord(e) : null;
    },
    /** Inserts a record if absent; true when this call created it. */
    async insertRecord(r: StoredRecord): Promise<boolean> {
      const client = await tables.records();
      try {
        await client.createEntity(recordEntity(r));
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        return storeCall('sync.records.insert', () => Promise.reject(error));
      }
    },
    /**
     * Inserts new records 100 to a transaction (a first plan of a large vault is otherwise one round trip per
     * object). A transaction that meets an existing record (another planner got there first) is retried one
     * record at a time, insert-if-absent.
     */
    async insertRecords(records: readonly StoredRecord[]): Promise<void> {
      const client = await tables.records();
      for (const batch of transactionsOf(records.map((r) => ['create', recordEntity(r)] as const))) {
        try {
          await client.submitTransaction(batch);
        } catch (error) {
          if (!isConflict(error) && (error as { statusCode?: number }).statusCode !== 400) {
            return storeCall('sync.records.insertMany', () => Promise.reject(error));
          }
          for (const [, entity] of batch) {
            await client.createEntity(entity as ReturnType<typeof recordEntity>).catch((e: unknown) => {
              if (!isConflict(e)) throw e;
            });
          }
        }
      }
    },
    /**
     * Replaces a record if it has not changed since it was read (etag). Returns the new etag, so the next change
     * needs no read; null when another writer won.
     */
    async replaceRecord(r: StoredRecord, etag: string): Promise<string | null> {
      const client = await tables.records();
      try {
        const out = await client.updateEntity(recordEntity(r), 'Replace', { etag });
        return out.etag ?? null;
      } catch (error) {
        if (isPreconditionFailed(error)) return null;
        return storeCall('sync.records.replace', () => Promise.reject(error));
      }
    },
    async deleteRecordsOf(configId: string): Promise<void> {
      const client = await tables.records();
      const records = await this.listRecords({ configId });
      for (const r of records) await storeGet('sync.records.delete', () => client.deleteEntity(RECORD, r.id));
    },

    /** History rows sort newest first: the row key starts with the inverted time. */
    async addHistory(entry: SyncHistoryEntry): Promise<void> {
      const client = await tables.history();
      const inverted = String(8_640_000_000_000_000 - Date.parse(entry.at)).padStart(16, '0');
      await storeCall('sync.history.add', () =>
        client.upsertEntity(
          {
            partitionKey: HISTORY,
            rowKey: `${inverted}_${entry.id}`,
            ...Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, v ?? ''])),
          },
          'Replace',
        ),
      );
    },
    async listHistory(query: { configId?: string | undefined; limit: number }): Promise<SyncHistoryEntry[]> {
      const client = await tables.history();
      const out: SyncHistoryEntry[] = [];
      const where = query.configId
        ? `PartitionKey eq '${HISTORY}' and configId eq '${query.configId.replace(/'/g, "''")}'`
        : `PartitionKey eq '${HISTORY}'`;
      await storeCall('sync.history.list', async () => {
        for await (const e of client.listEntities({ queryOptions: { filter: where } })) {
          out.push({
            id: String(e.id),
            at: String(e.at),
            configId: String(e.configId),
            recordId: String(e.recordId),
            sourceVault: String(e.sourceVault),
            sourceName: String(e.sourceName),
            sourceVersion: opt(e.sourceVersion),
            targetName: String(e.targetName),
            outcome: e.outcome as SyncHistoryEntry['outcome'],
            targetVersion: opt(e.targetVersion),
            detail: opt(e.detail),
          });
          if (out.length >= query.limit) break;
        }
      });
      return out;
    },
  };
}

export type SyncStore = ReturnType<typeof createSyncStore>;
