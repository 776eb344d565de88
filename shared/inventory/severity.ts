/**
 * Severity by days to expiry — the one definition the scan, the stats, the reminder engine and the dashboard share.
 * Thresholds are inclusive day counts: with the defaults an item 30 days out is `warning`, 14 `severe`, 7 `critical`,
 * and 0 or fewer `expired`. Items without an expiry date are `noExpiry`; items further out than `warningDays` are `healthy`.
 */
export const severities = ['healthy', 'warning', 'severe', 'critical', 'expired', 'noExpiry'] as const;
export type Severity = (typeof severities)[number];

export interface Thresholds {
  readonly warningDays: number;
  readonly severeDays: number;
  readonly criticalDays: number;
}

export const defaultThresholds: Thresholds = { warningDays: 30, severeDays: 14, criticalDays: 7 };

const DAY_MS = 86_400_000;

/**
 * Whole days from `now` until `expiresOn`, rounded down: an item expiring in 6 days 23 hours has 6 days left, and one
 * that expired an hour ago has -1, so "expired" starts exactly at the expiry instant.
 */
export function daysRemaining(expiresOn: Date, now: Date): number {
  return Math.floor((expiresOn.getTime() - now.getTime()) / DAY_MS);
}

export function classify(expiresOn: Date | null, now: Date, thresholds: Thresholds = defaultThresholds): Severity {
  if (expiresOn === null) return 'noExpiry';
  if (expiresOn.getTime() <= now.getTime()) return 'expired';
  const days = daysRemaining(expiresOn, now);
  if (days <= thresholds.criticalDays) return 'critical';
  if (days <= thresholds.severeDays) return 'severe';
  if (days <= thresholds.warningDays) return 'warning';
  return 'healthy';
}

/** Higher is worse; lets the reminder engine tell an escalation from a renewal. */
export const severityRank: Record<Severity, number> = {
  healthy: 0,
  noExpiry: 0,
  warning: 1,
  severe: 2,
  critical: 3,
  expired: 4,
};

/** warning > severe > critical ≥ 1, as VaultGuard360 validates them. */
export function thresholdsAreOrdered(t: Thresholds): boolean {
  return (
    Number.isInteger(t.warningDays) &&
    Number.isInteger(t.severeDays) &&
    Number.isInteger(t.criticalDays) &&
    t.warningDays > t.severeDays &&
    t.severeDays > t.criticalDays &&
    t.criticalDays >= 1
  );
}
