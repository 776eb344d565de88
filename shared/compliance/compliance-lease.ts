import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { updateRow } from '../runtime/row-update';
import { isNotFound, isPreconditionFailed, storeCall, storeGet } from '../runtime/store-errors';

/** The lease row in the `complianceState` table. */
const PARTITION = 'lease';
const ROW = 'evaluation';

/**
 * Timing of the evaluation lease. The TTL outlives any one renewal gap by far (renewed every third of it); a holder
 * that dies stops renewing and its lease lapses after the TTL. A waiter gives up after `waitMs` and throws, so the
 * host abandons the message and Service Bus redelivers it later. Times are wall-clock milliseconds (`Date.now`),
 * the one clock every instance shares.
 */
export interface LeaseTiming {
  readonly ttlMs: number;
  readonly waitMs: number;
  readonly pollMs: number;
}

export const EVALUATION_LEASE: LeaseTiming = { ttlMs: 5 * 60_000, waitMs: 4 * 60_000, pollMs: 500 };

/** Another evaluation of this tenant held the lease for longer than a waiter waits: retry the message later. */
export class ComplianceBusyError extends Error {
  override readonly name = 'ComplianceBusyError';
}

/** The holder lost the lease (it lapsed while the holder stalled): it must not write. */
export class ComplianceLeaseLostError extends Error {
  override readonly name = 'ComplianceLeaseLostError';
}

export interface EvaluationLease {
  /** Throws ComplianceLeaseLostError unless this holder still owns the lease (checked before every write). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

interface LeaseRow {
  readonly owner?: unknown;
  readonly expiresAtMs?: unknown;
}

/**
 * One evaluation per tenant at a time: an optimistic-concurrency lease row (create, or take over an expired one,
 * under its ETag; a lost race re-reads and decides again). Two evaluations that overlapped could interleave their
 * violation and summary writes (an older scan's summary last), so the second waits for the first and then decides
 * again whether its scan is still the newest.
 */
export function createEvaluationLeases(
  table: () => Promise<TableClient>,
  options: { timing?: LeaseTiming; nowMs?: () => number; sleep?: (ms: number) => Promise<void> } = {},
) {
  const timing = options.timing ?? EVALUATION_LEASE;
  const nowMs = options.nowMs ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** Takes the lease if it is free, lapsed or already ours; 'unchanged' means someone else holds it. */
  async function claim(client: TableClient, owner: string, holder: string, onlyIfOurs: boolean) {
    return updateRow(client, 'compliance.lease.claim', PARTITION, ROW, (row) => {
      const current = row as LeaseRow | null;
      const ours = current?.owner === owner;
      const lapsed = !current || typeof current.expiresAtMs !== 'number' || current.expiresAtMs <= nowMs();
      if (onlyIfOurs ? !ours : !ours && !lapsed) return null;
      return { owner, holder, expiresAtMs: nowMs() + timing.ttlMs };
    });
  }

  return {
    /**
     * Waits (at most `waitMs`, the timing's by default) until this holder has the lease, renewed in the background
     * until released. `holder` names it in the row: a scan id, or `waiver` for an admin's waiver.
     */
    async acquire(holder: string, waitMs = timing.waitMs): Promise<EvaluationLease> {
      const client = await table();
      const owner = randomUUID();
      const giveUpAt = nowMs() + waitMs;
      while ((await claim(client, owner, holder, false)) === 'unchanged') {
        if (nowMs() >= giveUpAt)
          throw new ComplianceBusyError('another compliance evaluation of this tenant is still running');
        await sleep(timing.pollMs);
      }
      let lost = false;
      let renewal: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        renewal = claim(client, owner, holder, true).then(
          (outcome) => {
            if (outcome === 'unchanged') lost = true;
          },
          () => undefined, // a failed renewal is retried at the next tick; the TTL covers a few misses
        );
      }, timing.ttlMs / 3);
      timer.unref();
      return {
        async assertHeld() {
          await renewal;
          const row = await storeGet<LeaseRow>('compliance.lease.read', () => client.getEntity(PARTITION, ROW));
          if (lost || row?.owner !== owner || typeof row.expiresAtMs !== 'number' || row.expiresAtMs <= nowMs())
            throw new ComplianceLeaseLostError('the compliance evaluation lease lapsed; another evaluation took it');
        },
        async release() {
          clearInterval(timer);
          await renewal;
          const row = await storeGet<LeaseRow & { etag: string }>('compliance.lease.read', () =>
            client.getEntity(PARTITION, ROW),
          );
          if (row?.owner !== owner) return;
          try {
            await client.deleteEntity(PARTITION, ROW, { etag: row.etag });
          } catch (error) {
            // Taken over or gone since the read: nothing of ours is left to release.
            if (!isNotFound(error) && !isPreconditionFailed(error))
              await storeCall('compliance.lease.release', () => Promise.reject(error));
          }
        },
      };
    },
  };
}

export type EvaluationLeases = ReturnType<typeof createEvaluationLeases>;
