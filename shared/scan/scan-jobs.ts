import { scanDirectory } from './directory-scanner';
import { auditScanEvent } from './scan-audit';
import { planScan } from './scan-planner';
import { createGate } from '../runtime/concurrency-gate';
import { parseMessage } from '../runtime/malformed-message';
import { planMessageSchema, unitMessageSchema } from './scan-messages';
import type { ScanDeps } from './scan-deps';
import { startScan } from './scan-service';
import { errorCodeOf, scanVault } from './vault-scanner';
import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';

let gate: ReturnType<typeof createGate> | undefined;

/** The timer's scan; null when the licence stops scheduled work (an expired trial). */
export async function startScheduledScan(deps: ScanDeps, license: ScheduledWorkGuard): Promise<string | null> {
  if (!(await license.allows())) return null;
  const { scan } = await startScan(deps, { trigger: 'schedule', mode: 'full' });
  return scan.scanId;
}

/**
 * A scan whose messages outlive the trial stops where it is, marked failed with `trial_expired`, so it does not
 * look running forever; the message completes (redelivering it would change nothing).
 */
async function stopForLicense(deps: ScanDeps, scanId: string): Promise<void> {
  await deps.scans.updateScan(scanId, {
    status: 'failed',
    completedAt: deps.clock.now().toISOString(),
    errorCode: 'trial_expired',
  });
}

export async function runPlan(
  deps: ScanDeps,
  message: unknown,
  lastAttempt: boolean,
  license: ScheduledWorkGuard,
): Promise<void> {
  const plan = parseMessage(planMessageSchema, message, 'scan-plan');
  if (!(await license.allows())) return stopForLicense(deps, plan.scanId);
  try {
    await planScan(deps, plan.scanId);
  } catch (error) {
    if (!lastAttempt) throw error;
    // The plan will not be delivered again: record the failure so the scan does not look running forever.
    await deps.scans.updateScan(plan.scanId, {
      status: 'failed',
      completedAt: deps.clock.now().toISOString(),
      errorCode: errorCodeOf(error),
    });
    deps.log.warn(`scan ${plan.scanId} failed in its plan (${errorCodeOf(error)})`);
    await auditScanEvent(deps.audit, deps.log, {
      action: 'discovery.scan.failed',
      target: `scan/${plan.scanId}`,
      outcome: 'failure',
      details: { stage: 'plan', errorCode: errorCodeOf(error) },
    });
  }
}

export async function runUnit(
  deps: ScanDeps,
  message: unknown,
  lastAttempt: boolean,
  license: ScheduledWorkGuard,
): Promise<void> {
  const unit = parseMessage(unitMessageSchema, message, 'scan-vault');
  if (!(await license.allows())) return stopForLicense(deps, unit.scanId);
  gate ??= createGate(deps.vaultConcurrency);
  await gate(() =>
    unit.kind === 'vault' ? scanVault(deps, unit, lastAttempt) : scanDirectory(deps, unit, lastAttempt),
  );
}
