import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { AuditInputError, AuditStorageError } from './audit-errors';
import type { AuditHashedFields } from './verify/audit-canonical';

// One table holds the chain. Partition `entry`: one row per entry, RowKey = seq zero-padded to 12 digits so
// rows sort by seq. Partition `head`: the chain head (seq, hash, counters), moved with ETag concurrency.
// Partition `checkpoint`: signed checkpoints, RowKey inverted so the newest sorts first.
const ENTRY = 'entry';
const HEAD = 'head';
const CHECKPOINT = 'checkpoint';
const SEQ_DIGITS = 12;
const CHECKPOINT_KEY_BASE = 10 ** SEQ_DIGITS;

export function seqRowKey(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0');
}

/** A stored entry: the hashed fields with details as canonical JSON text, plus the hash. */
export interface StoredEntry extends Omit<AuditHashedFields, 'details'> {
  readonly details: string;
  readonly hash: string;
}

/** Counters kept on the head so `stats` is one point read. `day` is the UTC date of the last entry. */
export interface AuditCounters {
  readonly byAction: Record<string, number>;
  readonly byOutcome: Record<string, number>;
  readonly day: string;
  readonly dayCount: number;
}

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  /** Timestamp of entry `seq`; the next entry's timestamp is never earlier. */
  readonly lastTimestamp: string;
  readonly counters: AuditCounters;
  /** Absent while no head row exists yet. */
  readonly etag?: string;
}

// `timestamp` is a reserved Table property, so the entry's own time is stored as `occurredAt`.
type EntryEntity = Omit<StoredEntry, 'timestamp'> & { partitionKey: string; rowKey: string; occurredAt: string };
type HeadEntity = {
  partitionKey: string;
  rowKey: string;
  seq: number;
  hash: string;
  lastTimestamp: string;
  counters: string;
};
type CheckpointEntity = { partitionKey: string; rowKey: string; document: string };

export interface EntryPage {
  readonly entries: StoredEntry[];
  readonly continuationToken?: string;
}

export function createAuditStore(table: TableClient) {
  return {
    async readHead(): Promise<ChainHead | null> {
      const entity = await orNull(table.getEntity<HeadEntity>(HEAD, HEAD));
      if (!entity) return null;
      return {
        seq: entity.seq,
        hash: entity.hash,
        lastTimestamp: entity.lastTimestamp,
        counters: JSON.parse(entity.counters) as AuditCounters,
        ...(entity.etag ? { etag: entity.etag } : {}),
      };
    },

    /** Moves the head iff it is still the version read (`etag`), or creates it; false when another writer won. */
    async writeHead(head: Omit<ChainHead, 'etag'>, etag: string | undefined): Promise<boolean> {
      const entity: HeadEntity = {
        partitionKey: HEAD,
        rowKey: HEAD,
        seq: head.seq,
        hash: head.hash,
        lastTimestamp: head.lastTimestamp,
        counters: JSON.stringify(head.counters),
      };
      return ifNoConflict(etag ? table.updateEntity(entity, 'Replace', { etag }) : table.createEntity(entity));
    },

    /** Insert-if-absent: false when an entry with this seq already exists. */
    async insertEntry(entry: StoredEntry): Promise<boolean> {
      const { timestamp, ...rest } = entry;
      const entity: EntryEntity = { ...rest, occurredAt: timestamp, partitionKey: ENTRY, rowKey: seqRowKey(entry.seq) };
      return ifNoConflict(table.createEntity(entity));
    },

    async readEntry(seq: number): Promise<StoredEntry | null> {
      const entity = await orNull(table.getEntity<EntryEntity>(ENTRY, seqRowKey(seq)));
      return entity ? toStoredEntry(entity) : null;
    },

    /** One page of entries matching `filter` (an OData clause over entry properties, or ''), in seq order. */
    async queryEntries(filter: string, pageSize: number, continuationToken?: string): Promise<EntryPage> {
      const where = odata`PartitionKey eq ${ENTRY}` + (filter ? ` and ${filter}` : '');
      const pages = table
        .listEntities<EntryEntity>({ queryOptions: { filter: where } })
        .byPage({ maxPageSize: pageSize, ...(continuationToken ? { continuationToken } : {}) });
      let page;
      try {
        page = await pages.next();
      } catch (error) {
        // The token is opaque to callers: one that does not decode (no HTTP status) or that the service
        // refuses (400) is the caller's mistake, not an outage.
        const status = statusOf(error);
        if (continuationToken && (status === undefined || status === 400)) {
          throw new AuditInputError('invalid continuation token');
        }
        throw new AuditStorageError('audit table query failed', { cause: error });
      }
      if (page.done) return { entries: [] };
      const entries = page.value.map(toStoredEntry);
      return page.value.continuationToken ? { entries, continuationToken: page.value.continuationToken } : { entries };
    },

    async readLatestCheckpoint(): Promise<string | null> {
      const pages = table
        .listEntities<CheckpointEntity>({ queryOptions: { filter: odata`PartitionKey eq ${CHECKPOINT}` } })
        .byPage({ maxPageSize: 1 });
      const page = await storage(pages.next());
      return page.done ? null : (page.value[0]?.document ?? null);
    },

    async listCheckpoints(): Promise<string[]> {
      const documents: string[] = [];
      const query = table.listEntities<CheckpointEntity>({
        queryOptions: { filter: odata`PartitionKey eq ${CHECKPOINT}` },
      });
      for await (const entity of query) documents.push(entity.document);
      return documents.reverse();
    },

    /** Insert-if-absent, keyed by checkpoint number: two timer instances on one tick write one checkpoint. */
    async insertCheckpoint(checkpointSeq: number, document: string): Promise<boolean> {
      const rowKey = seqRowKey(CHECKPOINT_KEY_BASE - 1 - checkpointSeq);
      return ifNoConflict(table.createEntity<CheckpointEntity>({ partitionKey: CHECKPOINT, rowKey, document }));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;

function toStoredEntry(entity: TableEntityResult<EntryEntity>): StoredEntry {
  return {
    seq: entity.seq,
    timestamp: entity.occurredAt,
    actorType: entity.actorType,
    actorId: entity.actorId,
    actorName: entity.actorName,
    action: entity.action,
    target: entity.target,
    outcome: entity.outcome,
    details: entity.details,
    correlationId: entity.correlationId,
    prevHash: entity.prevHash,
    hash: entity.hash,
  };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : undefined;
}

async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw new AuditStorageError('audit table read failed', { cause: error });
  }
}

/** 409 (exists) and 412 (ETag moved) mean another writer got there first. */
async function ifNoConflict(request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 412) return false;
    throw new AuditStorageError('audit table write failed', { cause: error });
  }
}

async function storage<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw new AuditStorageError('audit table query failed', { cause: error });
  }
}
