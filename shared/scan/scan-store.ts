import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { updateRow } from '../runtime/row-update';
import { isConflict, isPreconditionFailed, storeCall, storeGet } from '../runtime/store-errors';
import { scanEntityCodec } from './scan-entity';
import { createProgressStore } from './scan-progress-store';
import type { ScanRecord } from './scan-types';

export const SCANS_TABLE = 'scans';
export const SCAN_PROGRESS_TABLE = 'scanprogress';

const { toEntity, fromEntity } = scanEntityCodec([
  'subscriptionsFilter',
  'subscriptionsSkipped',
  'bySeverity',
  'outcomes',
]);

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
      const pointer = await storeGet<{ scanId?: unknown; etag: string }>('scan.active.read', () =>
        client.getEntity('active', 'current'),
      );
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
        if (!isConflict(error) && !isPreconditionFailed(error))
          return storeCall('scan.active.swap', () => Promise.reject(error));
        // Another trigger won: withdraw ours and join theirs on the next pass.
        await client.deleteEntity('scan', record.scanId);
      }
    }
  }

  async function getScan(scanId: string): Promise<ScanRecord | null> {
    const client = await scans();
    const entity = await storeGet('scan.get', () => client.getEntity('scan', scanId));
    return entity ? fromEntity<ScanRecord>(entity, recordDefaults) : null;
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
    const changed = await updateRow(await scans(), 'scan.complete', 'scan', scanId, (row) =>
      !row || row.status === 'completed' ? null : toEntity('scan', scanId, { ...patch, status: 'completed' }),
    );
    return changed === 'updated';
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
