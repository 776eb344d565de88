import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { fixedClock } from '../time/clock';
import type { ScanDeps } from './scan-deps';
import { runPlan, runUnit, startScheduledScan } from './scan-jobs';

const expired: ScheduledWorkGuard = { allows: async () => false };

/** Scan deps that record what a job touched; anything else it touches fails the test. */
function recordingDeps() {
  const calls: string[] = [];
  const updates: unknown[] = [];
  const deps = {
    clock: fixedClock(new Date('2026-05-20T00:00:00Z')),
    scans: {
      startOrJoin: async () => {
        calls.push('startOrJoin');
        throw new Error('no scan may start');
      },
      getScan: async () => {
        calls.push('getScan');
        throw new Error('no plan may run');
      },
      updateScan: async (scanId: string, patch: unknown) => updates.push({ scanId, patch }),
    },
    send: async () => calls.push('send'),
    log: { info: () => undefined, warn: () => undefined },
  } as unknown as ScanDeps;
  return { deps, calls, updates };
}

const stopped = (scanId: string) => ({
  scanId,
  patch: { status: 'failed', completedAt: '2026-05-20T00:00:00.000Z', errorCode: 'trial_expired' },
});

describe('scan jobs after the trial', () => {
  it('the timer starts no scan', async () => {
    const { deps, calls } = recordingDeps();
    expect(await startScheduledScan(deps, expired)).toBeNull();
    expect(calls).toEqual([]);
  });

  it('a plan message lists nothing and marks its scan failed with trial_expired', async () => {
    const { deps, calls, updates } = recordingDeps();
    await runPlan(deps, { scanId: 'scan-1' }, false, expired);
    expect(calls).toEqual([]);
    expect(updates).toEqual([stopped('scan-1')]);
  });

  it('a unit message reads no vault and marks its scan failed with trial_expired', async () => {
    const { deps, updates } = recordingDeps();
    const unit = { kind: 'directory', scanId: 'scan-2', unitKey: 'entra_t1', tenantId: 't1' };
    await runUnit(deps, unit, false, expired);
    expect(updates).toEqual([stopped('scan-2')]);
  });
});
