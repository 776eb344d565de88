import { scanDirectory } from './directory-scanner';
import { auditScanEvent } from './scan-audit';
import { planScan } from './scan-planner';
import { createGate } from '../runtime/concurrency-gate';
import { parseMessage } from '../runtime/malformed-message';
import { planMessageSchema, unitMessageSchema } from './scan-messages';
import type { ScanDeps } from './scan-deps';
import { startScan } from './scan-service';
import { errorCodeOf, scanVault } from './vault-scanner';

let gate: ReturnType<typeof createGate> | undefined;

export async function startScheduledScan(deps: ScanDeps): Promise<string> {
  const { scan } = await startScan(deps, { trigger: 'schedule', mode: 'full' });
  return scan.scanId;
}

export async function runPlan(deps: ScanDeps, message: unknown, lastAttempt: boolean): Promise<void> {
  const plan = parseMessage(planMessageSchema, message, 'scan-plan');
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

export async function runUnit(deps: ScanDeps, message: unknown, lastAttempt: boolean): Promise<void> {
  const unit = parseMessage(unitMessageSchema, message, 'scan-vault');
  gate ??= createGate(deps.vaultConcurrency);
  await gate(() =>
    unit.kind === 'vault' ? scanVault(deps, unit, lastAttempt) : scanDirectory(deps, unit, lastAttempt),
  );
}
