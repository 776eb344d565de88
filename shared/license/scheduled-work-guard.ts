import type { AuditAppender } from '../auth/auth-audit';
import type { LicenseLedger } from './license-ledger';
import type { LicenseService } from './license-service';

/** What timers and queue workers ask before doing licensed work (scans, notifications). */
export interface ScheduledWorkGuard {
  /** False once a trial has expired; the first caller to see it records `license.trialExpired` in the audit. */
  allows(): Promise<boolean>;
}

export interface ScheduledWorkGuardDeps {
  readonly license: Pick<LicenseService, 'trialExpired'>;
  readonly ledger: LicenseLedger;
  readonly audit: AuditAppender;
  readonly clock: { now(): Date };
  readonly log: { warn(message: string): void };
}

/**
 * The HTTP pipeline answers 402 after the trial; timers and queue messages have no caller to answer, so they ask
 * this guard and stop. Asking it also starts the trial clock on a trial deployment's first run (the license service
 * records the start on first use), so a deployment that only runs its timers is still on the clock.
 */
export function createScheduledWorkGuard(deps: ScheduledWorkGuardDeps): ScheduledWorkGuard {
  let announced = false;
  return {
    async allows() {
      if (!(await deps.license.trialExpired())) return true;
      if (!announced) {
        // Insert-if-absent: however many instances and workers see the expiry, one audit entry says so.
        if (await deps.ledger.recordTrialExpired(deps.clock.now())) {
          // The record exists now, so a failed append cannot be retried: the error log is the trace.
          await deps.audit
            .append({
              actor: { type: 'system', name: 'Keyward license' },
              action: 'license.trialExpired',
              target: 'license',
              outcome: 'success',
              details: { stopped: 'scheduled scans and notifications' },
            })
            .catch((error: unknown) =>
              deps.log.warn(
                `license.trialExpired could not be audited (${error instanceof Error ? error.name : 'error'})`,
              ),
            );
        }
        announced = true;
      }
      deps.log.warn('license: the trial has expired; scheduled work is skipped');
      return false;
    },
  };
}
