import { randomBytes } from 'node:crypto';
import { currentCorrelationId, newCorrelationId, withCorrelation } from '../runtime/correlation';
import { severities, type Severity } from '../inventory/severity';
import { auditScanEvent } from './scan-audit';
import type { ScanDeps } from './scan-deps';
import { emptyProgress } from './scan-progress';
import type { ScanMode, ScanRecord, ScanTrigger } from './scan-types';

/** A running scan older than this is treated as stuck and no longer blocks a new one. */
const STALE_SCAN_MS = 6 * 3_600_000;

export interface StartScanRequest {
  readonly trigger: ScanTrigger;
  readonly mode: ScanMode;
  readonly subscriptions?: readonly string[];
  readonly correlationId?: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `scan-YYYYMMDD-HHMMSS-<hex>`: sortable by start time, unique across concurrent triggers. */
export function newScanId(at: Date): string {
  const d = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const t = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `scan-${d}-${t}-${randomBytes(3).toString('hex')}`;
}

const zeroSeverities = (): Record<Severity, number> =>
  Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * Starts a scan, or answers the one already running (unless `force`): a trigger while a scan runs must not start a
 * second fan-out. The plan message's id is the scan id, so a retried send is dropped by the broker.
 */
export async function startScan(
  deps: Pick<ScanDeps, 'audit' | 'clock' | 'log' | 'scans' | 'send'>,
  request: StartScanRequest,
): Promise<{ scan: ScanRecord; started: boolean }> {
  const now = deps.clock.now();
  const scanId = newScanId(now);
  const record: ScanRecord = {
    scanId,
    status: 'running',
    mode: request.mode,
    trigger: request.trigger,
    correlationId: request.correlationId ?? currentCorrelationId() ?? newCorrelationId(),
    subscriptionsFilter: request.subscriptions && request.subscriptions.length > 0 ? [...request.subscriptions] : null,
    startedAt: now.toISOString(),
    completedAt: null,
    durationSeconds: null,
    subscriptionsFound: 0,
    subscriptionsScanned: 0,
    subscriptionsSkipped: [],
    vaultsFound: 0,
    vaultsCarriedOver: 0,
    itemsScanned: 0,
    itemsLeftOut: 0,
    bySeverity: zeroSeverities(),
    outcomes: emptyProgress.outcomes,
  };
  const live = (active: ScanRecord): boolean => now.getTime() - Date.parse(active.startedAt) < STALE_SCAN_MS;
  const result = await deps.scans.startOrJoin(record, live, request.mode === 'force');
  if (result.started) {
    // The scan's work, to its last alert, runs under the scan's correlation id.
    await withCorrelation(record.correlationId, () => deps.send('scanPlan', [{ messageId: scanId, body: { scanId } }]));
    deps.log.info(`scan ${scanId} started (${request.trigger}, ${request.mode})`);
    await auditScanEvent(deps.audit, deps.log, {
      action: 'discovery.scan.started',
      target: `scan/${scanId}`,
      outcome: 'success',
      details: { trigger: request.trigger, mode: request.mode, subscriptions: record.subscriptionsFilter ?? 'all' },
      correlationId: record.correlationId,
    });
  }
  return result;
}
