import { evaluateInventory } from '../inventory/inventory-evaluation';
import { vaultPartition } from '../inventory/inventory-item';
import { recordScanCompleted } from '../telemetry/keyward-metrics';
import { auditScanEvent } from './scan-audit';
import type { ScanDeps } from './scan-deps';
import { readyToClose } from './scan-progress';

/**
 * Closes a scan once every unit reported: evaluates the inventory, publishes `scan.completed` with the evaluated
 * summary (event id = scan id, so a second close's event is dropped by the topic), then moves the scan to completed under its ETag.
 * Any worker that sees the scan ready may close it — the last unit, a redelivered unit after a crash, or the plan
 * when it finishes after its units — but only the holder of the close claim does (`closer` names the caller, so
 * the claimant's own redelivery may resume). Every step converges when repeated, and exactly one close records the
 * completion.
 */
export async function closeScanIfReady(deps: ScanDeps, scanId: string, closer: string): Promise<boolean> {
  const state = await deps.scans.readProgress(scanId);
  if (!readyToClose(state)) return false;
  const scan = await deps.scans.getScan(scanId);
  if (!scan || scan.status === 'completed') return false;
  // One closer at a time: the others' work is already counted and they may finish.
  if (!(await deps.scans.claimClose(scanId, closer, deps.clock.now()))) return false;

  const [thresholds, limits, units, vaults, subscriptions] = await Promise.all([
    deps.thresholds(),
    deps.limits(),
    deps.scans.listUnits(scanId),
    deps.estate.listVaults(),
    deps.estate.listSubscriptions(),
  ]);
  const now = deps.clock.now();
  const { summary, perPartition } = await evaluateInventory(deps, {
    scanId,
    now,
    thresholds,
    itemLimit: limits.itemLimit,
    vaultCount: vaults.length,
    subscriptionCount: subscriptions.filter((s) => s.included).length,
    partitions: vaults.map((v) => vaultPartition(v.subscriptionId, v.vaultName)),
  });
  await deps.estate.putVaultCounts(
    vaults.map((v) => {
      const counts = perPartition.get(vaultPartition(v.subscriptionId, v.vaultName));
      return {
        ...v,
        itemCount: counts?.items ?? 0,
        itemsLeftOut: counts?.leftOut ?? 0,
        bySeverity: counts?.bySeverity ?? {},
      };
    }),
  );
  const unreachable = units.filter((u) => u.items === 0 && u.outcome !== 'ok' && u.outcome !== 'throttled');
  const durationSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(scan.startedAt)) / 1000));
  await deps.publish('scan.completed', `scan.completed:${scanId}`, {
    scanId,
    completedAt: now.toISOString(),
    durationSeconds,
    vaults: vaults.length,
    totalItems: summary.totalItems,
    itemsLeftOut: summary.itemsLeftOut,
    bySeverity: summary.bySeverity,
    outcomes: state.outcomes,
    unreachablePartitions: unreachable.map((u) => u.unitKey),
  });
  const end = deps.clock.now();
  const closed = await deps.scans.completeScan(scanId, {
    completedAt: end.toISOString(),
    durationSeconds,
    itemsScanned: state.itemsFound,
    itemsLeftOut: summary.itemsLeftOut,
    bySeverity: summary.bySeverity,
    outcomes: state.outcomes,
  });
  if (closed) {
    recordScanCompleted({ durationSeconds, items: summary.totalItems, vaultsByOutcome: state.outcomes });
    deps.log.info(`scan ${scanId} completed: ${summary.totalItems} items, ${summary.itemsLeftOut} left out`);
    await auditScanEvent(deps.audit, deps.log, {
      action: 'discovery.scan.completed',
      target: `scan/${scanId}`,
      outcome: unreachable.length > 0 ? 'partial' : 'success',
      details: {
        vaults: vaults.length,
        items: summary.totalItems,
        itemsLeftOut: summary.itemsLeftOut,
        bySeverity: summary.bySeverity,
        outcomes: state.outcomes,
        durationSeconds,
      },
      correlationId: scan.correlationId,
    });
  }
  return closed;
}
