import type { TableClient, TableEntity } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isConflict, isNotFound, storeCall } from '../runtime/store-errors';
import { createProgressStore } from './scan-progress-store';
import type { ScanRecord } from './scan-types';

export const SCANS_TABLE = 'scans';
export const SCAN_PROGRESS_TABLE = 'scanprogress';

const JSON_FIELDS = ['subscriptionsFilter', 'subscriptionsSkipped', 'bySeverity', 'outcomes'];
const status = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

function toEntity(pk: string, rk: string, value: object): TableEntity<Record<string, unknown>> {
  const e: TableEntity<Record<string, unknown>> = { partitionKey: pk, rowKey: rk };
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    e[k] = JSON_FIELDS.includes(k) ? JSON.stringify(v) : v;
  }
  return e;
}

function fromEntity<T>(e: Record<string, unknown>, defaults: Partial<T>): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'partitionKey' || k === 'rowKey' || k === 'etag' || k === 'timestamp' || k.startsWith('odata')) continue;
    out[k] = JSON_FIELDS.includes(k) && typeof v === 'string' ? JSON.parse(v) : v;
  }
  return out as T;
}

const recordDefaults: Partial<ScanRecord> = { completedAt: null, durationSeconds: null, subscriptionsFilter: null };

/** Scans in Table Storage, with their progress (scan-progress-store) behind the same facade. */
export function createScanStore(scans: () => Promise<TableClient>, progress: () => Promise<TableClient>) {
  const progressStore = createProgressStore(progress);
  async function createScan(record: ScanRecord): Promise<void> {
    const client = await scans();
    await storeCall('scan.create', () => client.createEntity(toEntity('scan', record.scanId, record)));
    await progressStore.init(record.scanId);
  }

  /**
   * Starts `record` unless a live scan is running (then answers that one). The `active` pointer row changes only
   * under its ETag, so two triggers at the same moment start one scan; `force` replaces a running scan.
   */
  async function startOrJoin(
    record: ScanRecord,
    isLive: (active: ScanRecord) => boolean,
    force: boolean,
  ): Promise<{ scan: ScanRecord; started: boolean }> {
    const client = await scans();
    for (;;) {
      let pointer: { scanId?: unknown; etag: string } | null = null;
      try {
        pointer = await client.getEntity('active', 'current');
      } catch (error) {
        if (!isNotFound(error)) return storeCall('scan.active.read', () => Promise.reject(error));
      }
      if (pointer && !force && typeof pointer.scanId === 'string') {
        const active = await getScan(pointer.scanId);
        if (active && active.status === 'running' && isLive(active)) return { scan: active, started: false };
      }
      await createScan(record);
      const row = { partitionKey: 'active', rowKey: 'current', scanId: record.scanId };
      try {
        if (pointer) await client.updateEntity(row, 'Replace', { etag: pointer.etag });
        else await client.createEntity(row);
        return { scan: record, started: true };
      } catch (error) {
        if (!isConflict(error) && status(error) !== 412)
          return storeCall('scan.active.swap', () => Promise.reject(error));
        // Another trigger won: withdraw ours and join theirs on the next pass.
        await client.deleteEntity('scan', record.scanId);
      }
    }
  }

  async function getScan(scanId: string): Promise<ScanRecord | null> {
    const client = await scans();
    try {
      return fromEntity<ScanRecord>(await client.getEntity('scan', scanId), recordDefaults);
    } catch (error) {
      if (isNotFound(error)) return null;
      return storeCall('scan.get', () => Promise.reject(error));
    }
  }

  /** All scans, newest first (a scan a day for years stays a small partition). */
  async function listScans(): Promise<ScanRecord[]> {
    const client = await scans();
    const out: ScanRecord[] = [];
    await storeCall('scan.list', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq 'scan'` } })) {
        out.push(fromEntity<ScanRecord>(e, recordDefaults));
      }
    });
    return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  async function updateScan(scanId: string, patch: Partial<ScanRecord>): Promise<void> {
    const client = await scans();
    await storeCall('scan.update', () => client.updateEntity(toEntity('scan', scanId, patch), 'Merge'));
  }

  /** Moves a running scan to completed; true for exactly one caller, however many try at once. */
  async function completeScan(scanId: string, patch: Partial<ScanRecord>): Promise<boolean> {
    const client = await scans();
    for (;;) {
      const current = await storeCall('scan.complete.read', () => client.getEntity('scan', scanId));
      if (current.status === 'completed') return false;
      try {
        await client.updateEntity(toEntity('scan', scanId, { ...patch, status: 'completed' }), 'Merge', {
          etag: current.etag,
        });
        return true;
      } catch (error) {
        if (status(error) !== 412) return storeCall('scan.complete', () => Promise.reject(error));
      }
    }
  }

  return {
    startOrJoin,
    createScan,
    getScan,
    listScans,
    updateScan,
    completeScan,
    readProgress: progressStore.read,
    markPlannedOnce: progressStore.markPlannedOnce,
    recordUnit: progressStore.recordUnit,
    claimClose: progressStore.claimClose,
    getUnit: progressStore.getUnit,
    listUnits: progressStore.listUnits,
  };
}

export type ScanStore = ReturnType<typeof createScanStore>;
