import type { TableClient } from '@azure/data-tables';
import { isConflict, storeCall, storeGet } from '../runtime/store-errors';
import type { ChannelType } from './notify-schemas';

export const NOTIFY_DELIVERIES_TABLE = 'NotifyDeliveries';
const SUMMARY = 'delivery';

export const deliveryStatuses = ['sending', 'sent', 'retrying', 'failed', 'dead_lettered', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One delivery as the history shows it. `target` names a channel or counts recipients; never a URL. */
export interface DeliveryRecord {
  readonly deliveryKey: string;
  readonly channel: ChannelType;
  readonly target: string;
  readonly teamName: string;
  readonly alertType: string;
  readonly itemCount: number;
  readonly test: boolean;
  /** The request or timer that caused the delivery ('' for rows written before it was recorded). */
  readonly correlationId: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt: string | null;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly at: string;
  readonly outcome: 'sent' | 'failed';
  readonly error: string | null;
}

export type ClaimResult = 'claimed' | 'already_sent' | 'claimed_elsewhere';

export interface HistoryQuery {
  readonly from?: string;
  readonly to?: string;
  readonly status?: DeliveryStatus;
  readonly channel?: ChannelType;
  readonly correlationId?: string;
  readonly limit: number;
}

type SummaryEntity = Omit<DeliveryRecord, 'correlationId'> & {
  correlationId?: string;
  partitionKey: string;
  rowKey: string;
  etag?: string;
  lastError: string;
};

/**
 * The "sent" record and the attempt history, one partition per delivery key. `claim` is the insert-if-absent
 * guard: the first attempt inserts the row; a later one may take it over (optimistically, by ETag) unless it is
 * already `sent`, so a delivery message handled twice sends once.
 */
export interface DeliveryStore {
  claim(record: Omit<DeliveryRecord, 'status' | 'lastError' | 'updatedAt' | 'sentAt'>): Promise<ClaimResult>;
  finish(
    key: string,
    attempt: number,
    at: string,
    outcome: { status: DeliveryStatus; error: string | null },
  ): Promise<void>;
  get(key: string): Promise<DeliveryRecord | null>;
  attempts(key: string): Promise<AttemptRecord[]>;
  history(query: HistoryQuery): Promise<DeliveryRecord[]>;
}

const attemptKey = (attempt: number): string => `attempt-${String(attempt).padStart(4, '0')}`;
const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function toRecord(entity: SummaryEntity): DeliveryRecord {
  return {
    deliveryKey: entity.partitionKey,
    channel: entity.channel,
    target: entity.target,
    teamName: entity.teamName,
    alertType: entity.alertType,
    itemCount: entity.itemCount,
    test: entity.test,
    correlationId: entity.correlationId ?? '',
    status: entity.status,
    attempts: entity.attempts,
    lastError: entity.lastError || null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    sentAt: entity.sentAt || null,
  };
}

export function createDeliveryStore(deps: { table: () => Promise<TableClient> }): DeliveryStore {
  return {
    async claim(record) {
      const table = await deps.table();
      const entity = {
        ...record,
        partitionKey: record.deliveryKey,
        rowKey: SUMMARY,
        status: 'sending',
        lastError: '',
        updatedAt: record.createdAt,
        sentAt: '',
      };
      try {
        await table.createEntity(entity);
        return 'claimed';
      } catch (error) {
        if (!isConflict(error)) return storeCall('deliveries.claim', () => Promise.reject(error));
      }
      const existing = await storeGet('deliveries.get', () =>
        table.getEntity<SummaryEntity>(record.deliveryKey, SUMMARY),
      );
      if (existing?.status === 'sent') return 'already_sent';
      if (!existing?.etag) return 'claimed_elsewhere';
      // A row still `sending` at the same attempt is another handler's send in flight (a copy of the message under
      // another id, handled concurrently): taking it over would send twice. Only a later attempt (the broker
      // redelivered after the holder's lock expired: it crashed or stalled) may take over a `sending` row.
      if (existing.status === 'sending' && record.attempts <= existing.attempts) return 'claimed_elsewhere';
      try {
        await table.updateEntity(
          {
            partitionKey: record.deliveryKey,
            rowKey: SUMMARY,
            status: 'sending',
            attempts: record.attempts,
            updatedAt: record.createdAt,
          },
          'Merge',
          { etag: existing.etag },
        );
        return 'claimed';
      } catch {
        // Another instance changed the row between our read and write: it owns this attempt.
        return 'claimed_elsewhere';
      }
    },
    async finish(key, attempt, at, outcome) {
      const table = await deps.table();
      await storeCall('deliveries.attempt', () =>
        table.upsertEntity(
          {
            partitionKey: key,
            rowKey: attemptKey(attempt),
            attempt,
            at,
            outcome: outcome.status === 'sent' ? 'sent' : 'failed',
            error: outcome.error ?? '',
          },
          'Replace',
        ),
      );
      await storeCall('deliveries.finish', () =>
        table.updateEntity(
          {
            partitionKey: key,
            rowKey: SUMMARY,
            status: outcome.status,
            attempts: attempt,
            lastError: outcome.error ?? '',
            updatedAt: at,
            ...(outcome.status === 'sent' ? { sentAt: at } : {}),
          },
          'Merge',
        ),
      );
    },
    async get(key) {
      const table = await deps.table();
      const entity = await storeGet('deliveries.get', () => table.getEntity<SummaryEntity>(key, SUMMARY));
      return entity ? toRecord(entity) : null;
    },
    async attempts(key) {
      const table = await deps.table();
      return storeCall('deliveries.attempts', async () => {
        const out: AttemptRecord[] = [];
        const filter = `PartitionKey eq ${quote(key)} and RowKey ge 'attempt-' and RowKey lt 'attempt.'`;
        for await (const row of table.listEntities<AttemptRecord & { error: string }>({ queryOptions: { filter } })) {
          out.push({ attempt: row.attempt, at: row.at, outcome: row.outcome, error: row.error || null });
        }
        return out;
      });
    },
    async history(query) {
      const table = await deps.table();
      const clauses = [`RowKey eq '${SUMMARY}'`];
      if (query.from) clauses.push(`createdAt ge ${quote(query.from)}`);
      if (query.to) clauses.push(`createdAt le ${quote(query.to)}`);
      if (query.status) clauses.push(`status eq ${quote(query.status)}`);
      if (query.channel) clauses.push(`channel eq ${quote(query.channel)}`);
      if (query.correlationId) clauses.push(`correlationId eq ${quote(query.correlationId)}`);
      return storeCall('deliveries.history', async () => {
        const out: DeliveryRecord[] = [];
        for await (const row of table.listEntities<SummaryEntity>({
          queryOptions: { filter: clauses.join(' and ') },
        })) {
          out.push(toRecord(row));
        }
        // Newest first; Table Storage returns partition-key order, so sort here (bounded by the filter).
        return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, query.limit);
      });
    },
  };
}
