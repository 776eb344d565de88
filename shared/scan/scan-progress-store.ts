import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { updateRow } from '../runtime/row-update';
import { isConflict, isPreconditionFailed, storeCall, storeGet } from '../runtime/store-errors';
import { addUnit, combineProgress, emptyProgress, type ProgressState } from './scan-progress';
import { scanEntityCodec } from './scan-entity';
import type { UnitResult } from './scan-types';

/**
 * A scan's progress in one partition (the scan id): a `state` row fixed by the plan (planned, unit count), counter
 * shards `shard_00…`, and one `unit_<key>` marker per finished unit. A unit is counted by a transaction that
 * creates its marker and updates its shard under the shard's ETag, so it counts exactly once however often its
 * message is delivered. Sharding spreads concurrent finishers over 16 rows instead of one hot entity.
 */
export const SHARDS = 16;
const shardKey = (i: number): string => `shard_${String(i).padStart(2, '0')}`;
const shardOf = (unitKey: string): string =>
  shardKey(createHash('sha256').update(unitKey).digest().readUInt16BE(0) % SHARDS);

/** How long a close claim holds: the function timeout (host.json), after which its owner is surely gone. */
const CLOSE_LEASE_MS = 10 * 60_000;

const { toEntity, fromEntity } = scanEntityCodec(['outcomes', 'deniedKinds']);

const unitDefaults: Partial<UnitResult> = { subscriptionId: null, vaultName: null, errorCode: null, deniedKinds: [] };

export function createProgressStore(table: () => Promise<TableClient>) {
  /** Creates the state row and every shard (idempotent: a second call changes nothing). */
  async function init(scanId: string): Promise<void> {
    const client = await table();
    const rows = [
      toEntity(scanId, 'state', emptyProgress),
      ...Array.from({ length: SHARDS }, (_, i) => toEntity(scanId, shardKey(i), emptyProgress)),
    ];
    await storeCall('progress.init', () =>
      client.submitTransaction(rows.map((r) => ['create', r])).catch((error: unknown) => {
        if (!isConflict(error)) throw error;
      }),
    );
  }

  async function read(scanId: string): Promise<ProgressState> {
    const client = await table();
    let plan = emptyProgress;
    const shards: ProgressState[] = [];
    const filter = `${odata`PartitionKey eq ${scanId}`} and RowKey ge 'shard_' and RowKey le 'state'`;
    await storeCall('progress.read', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter } })) {
        const row = fromEntity<ProgressState>(e, emptyProgress);
        if (e.rowKey === 'state') plan = row;
        else shards.push(row);
      }
    });
    return combineProgress(plan, shards);
  }

  /** Fixes the number of units once (the first plan to finish wins). */
  async function markPlannedOnce(scanId: string, unitsTotal: number): Promise<void> {
    await updateRow(await table(), 'progress.plan', scanId, 'state', (row) =>
      row?.planned === true ? null : { planned: true, unitsTotal },
    );
  }

  /** Records and counts a unit atomically and once; `counted` is false for a unit that had already reported. */
  async function recordUnit(scanId: string, result: UnitResult): Promise<{ counted: boolean }> {
    const client = await table();
    const shard = shardOf(result.unitKey);
    for (;;) {
      const e = await storeCall('progress.shard.read', () => client.getEntity(scanId, shard));
      const next = addUnit(fromEntity<ProgressState>(e, emptyProgress), {
        outcome: result.outcome,
        items: result.items,
      });
      try {
        await client.submitTransaction([
          ['create', toEntity(scanId, `unit_${result.unitKey}`, result)],
          ['update', toEntity(scanId, shard, next), 'Merge', { etag: e.etag }],
        ]);
        return { counted: true };
      } catch (error) {
        if (isConflict(error)) return { counted: false };
        if (!isPreconditionFailed(error)) return storeCall('progress.unit', () => Promise.reject(error));
      }
    }
  }

  /**
   * Claims the close of a scan for `owner` (a unit key, or the plan). Every worker that sees the scan ready may
   * close it, and the last units often finish together: without a claim each of them ran the whole evaluation.
   * The claim is a `close` row created once; its owner may claim again (its message redelivered after a failure),
   * and anyone may take it over once it is older than the function timeout (the owner is gone).
   */
  async function claimClose(scanId: string, owner: string, now: Date): Promise<boolean> {
    const client = await table();
    let claimed = false;
    await updateRow(client, 'progress.close', scanId, 'close', (current) => {
      // Free, already ours, or left by an owner older than the function timeout (gone).
      const mine = current?.owner === owner;
      claimed = !current || mine || !(Date.parse(String(current.claimedAt)) > now.getTime() - CLOSE_LEASE_MS);
      return claimed && !mine ? { owner, claimedAt: now.toISOString() } : null;
    });
    return claimed;
  }

  async function getUnit(scanId: string, unitKey: string): Promise<UnitResult | null> {
    const client = await table();
    const entity = await storeGet('progress.unit.get', () => client.getEntity(scanId, `unit_${unitKey}`));
    return entity ? fromEntity<UnitResult>(entity, unitDefaults) : null;
  }

  async function listUnits(scanId: string): Promise<UnitResult[]> {
    const client = await table();
    const out: UnitResult[] = [];
    const filter = `${odata`PartitionKey eq ${scanId}`} and RowKey ge 'unit_' and RowKey le 'unit_~'`;
    await storeCall('progress.units', async () => {
      for await (const e of client.listEntities({ queryOptions: { filter } }))
        out.push(fromEntity<UnitResult>(e, unitDefaults));
    });
    return out;
  }

  return { init, read, markPlannedOnce, recordUnit, claimClose, getUnit, listUnits };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
