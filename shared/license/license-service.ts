import type { Clock } from '../time/clock';
import type { LicenseStore } from './license-store';
import { TRIAL_DAYS, tierAllows, tierLimits, type Feature, type Tier } from './license-tiers';

const DAY_MS = 86_400_000;

/** The license as GET /api/license reports it (VaultGuard360's documented shape plus the feature list). */
export interface LicenseStatus {
  readonly tier: Tier;
  readonly trialActive: boolean;
  readonly trialExpiresAt: string | null;
  readonly daysRemaining: number | null;
  readonly subscriptionLimit: number | null;
  readonly itemLimit: number | null;
  readonly webhookEnabled: boolean;
  readonly features: readonly Feature[];
}

export interface LicenseService {
  status(): Promise<LicenseStatus>;
  /** True when the tier is trial and its 14 days are over: the hard lock. */
  trialExpired(): Promise<boolean>;
  allows(minTier: Tier): boolean;
  readonly tier: Tier;
}

export interface LicenseServiceDeps {
  readonly tier: Tier;
  readonly store: LicenseStore;
  readonly clock: Clock;
  /**
   * Called once per deployment, by the instance whose insert recorded the trial start (the audit entry).
   * Awaited before the start is used; it must not throw (a failure to record it is for it to log).
   */
  readonly onTrialStarted?: (startedAt: Date) => Promise<void>;
}

/**
 * The tier comes from the KEYWARD_TIER app setting (the Marketplace plan sets it). For a trial, the start is
 * recorded once in Table Storage and then kept in memory: it never changes after it is written.
 */
export function createLicenseService(deps: LicenseServiceDeps): LicenseService {
  let start: Promise<Date> | undefined;
  const trialStart = (): Promise<Date> => {
    if (!start) {
      start = deps.store.trialStart(deps.clock.now()).then(async ({ startedAt, recorded }) => {
        if (recorded) await deps.onTrialStarted?.(startedAt);
        return startedAt;
      });
      start.catch(() => (start = undefined));
    }
    return start;
  };

  const status = async (): Promise<LicenseStatus> => {
    const limits = tierLimits[deps.tier];
    const base = {
      tier: deps.tier,
      subscriptionLimit: limits.subscriptionLimit,
      itemLimit: limits.itemLimit,
      webhookEnabled: limits.webhookEnabled,
      features: limits.features,
    };
    if (deps.tier !== 'trial') return { ...base, trialActive: false, trialExpiresAt: null, daysRemaining: null };
    const expiresAt = new Date((await trialStart()).getTime() + TRIAL_DAYS * DAY_MS);
    const remainingMs = expiresAt.getTime() - deps.clock.now().getTime();
    return {
      ...base,
      trialActive: remainingMs > 0,
      trialExpiresAt: expiresAt.toISOString(),
      daysRemaining: Math.max(0, Math.ceil(remainingMs / DAY_MS)),
    };
  };

  return {
    tier: deps.tier,
    status,
    async trialExpired() {
      if (deps.tier !== 'trial') return false;
      return !(await status()).trialActive;
    },
    allows: (minTier) => tierAllows(deps.tier, minTier),
  };
}
