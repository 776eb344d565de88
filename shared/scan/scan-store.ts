import type { TableClient, TableEntity } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isConflict, isNotFound, storeCall } from '../runtime/store-errors';
import { addUnit, emptyProgress, markPlanned, type ProgressState, type UnitReport } from './scan-progress';
import type { ScanRecord, UnitResult } from './scan-types';

export const SCANS_TABLE = 'scans';
export const SCAN_PROGRESS_TABLE = 'scanprogress';

const JSON_FIELDS = ['subscriptionsFilter', 'subscriptionsSkipped', 'bySeverity', 'outcomes', 'deniedKinds'];
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
const unitDefaults: Partial<UnitResult> = { subscriptionId: null, vaultName: null, errorCode: null, deniedKinds: [] };

/**
 * Scans and their progress in Table Storage. The progress of a scan lives in one partition (its id): a `state` row
 * with the counters and one `unit_<key>` marker per finished unit. A unit is counted by a transaction that creates
 * its marker and updates the state under the state's ETag, so a unit counts exactly once however often its message
 * is delivered and however many workers finish at the same time.
 */
export function createScanStore(scans: () => Promise<TableClient>, progress: () => Promise<TableClient>) {
  async function createScan(record: ScanRecord): Promise<void> {
    const [s, p] = await Promise.all([scans(), progress()]);
    await storeCall('scan.create', () => s.createEntity(toEntity('scan', record.scanId, record)));
    await storeCall('scan.progress.create', () =>
      p.createEntity(toEntity(record.scanId, 'state', emptyProgress)).catch((error: unknown) => {
        if (!isConflict(error)) throw error;
      }),
    );
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

  async function readProgress(scanId: string): Promise<{ state: ProgressState; etag: string }> {
    const client = await progress();
    const e = await storeCall('scan.progress.read', () => client.getEntity(scanId, 'state'));
    return { state: fromEntity<ProgressState>(e, emptyProgress), etag: e.etag };
  }

  async function updateState(scanId: string, change: (s: ProgressState) => ProgressState): Promise<ProgressState> {
    const client = await progress();
    for (;;) {
      const { state, etag } = await readProgress(scanId);
      const next = change(state);
      if (next === state) return state;
      try {
        await client.updateEntity(toEntity(scanId, 'state', next), 'Merge', { etag });
        return next;
      } catch (error) {
        if (status(error) !== 412) return storeCall('scan.progress.update', () => Promise.reject(error));
      }
    }
  }

  /** Fixes the number of units once (the first plan to finish wins); answers the state after. */
  function markPlannedOnce(scanId: string, unitsTotal: number): Promise<ProgressState> {
    return updateState(scanId, (s) => markPlanned(s, unitsTotal));
  }

  /**
   * Records a unit's result and counts it, atomically and once. `counted` is false when the unit had already
   * reported (a redelivered message): the state is returned unchanged so the caller can still finish the close.
   */
  async function recordUnit(scanId: string, result: UnitResult): Promise<{ counted: boolean; state: ProgressState }> {
    const client = await progress();
    const report: UnitReport = { outcome: result.outcome, items: result.items };
    for (;;) {
      const { state, etag } = await readProgress(scanId);
      const next = addUnit(state, report);
      try {
        await client.submitTransaction([
          ['create', toEntity(scanId, `unit_${result.unitKey}`, result)],
          ['update', toEntity(scanId, 'state', next), 'Merge', { etag }],
        ]);
        return { counted: true, state: next };
      } catch (error) {
        if (isConflict(error)) return { counted: false, state: (await readProgress(scanId)).state };
        if (status(error) !== 412) return storeCall('scan.progress.unit', () => Promise.reject(error));
      }
    }
  }

  async function getUnit(scanId: string, unitKey: string): Promise<UnitResult | null> {
    const client = await progress();
    try {
      return fromEntity<UnitResult>(await client.getEntity(scanId, `unit_${unitKey}`), unitDefaults);
    } catch (error) {
      if (isNotFound(error)) return null;
      return storeCall('scan.unit.get', () => Promise.reject(error));
    }
  }

  async function listUnits(scanId: string): Promise<UnitResult[]> {
    const client = await progress();
    const out: UnitResult[] = [];
    const filter = `${odata`PartitionKey eq ${scanId}`} and RowKey ge 'unit_' and RowKey le 'unit_~'`;
    await storeCall('scan.units', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter } })) {
        out.push(fromEntity<UnitResult>(e, unitDefaults));
      }
    });
    return out;
  }

  return {
    startOrJoin,
    createScan,
    getScan,
    listScans,
    updateScan,
    completeScan,
    readProgress: async (scanId: string) => (await readProgress(scanId)).state,
    markPlannedOnce,
    recordUnit,
    getUnit,
    listUnits,
  };
}

export type ScanStore = ReturnType<typeof createScanStore>;
