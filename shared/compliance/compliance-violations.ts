import { createHash } from 'node:crypto';
import type { RuleResult } from './compliance-engine';
import type { Violation } from './compliance-types';

/** A violation as stored: its frameworks are derived on read from the mappings. */
export type StoredViolation = Omit<Violation, 'frameworks'>;

export interface ViolationAlert {
  readonly kind: 'opened' | 'resolved';
  readonly violation: StoredViolation;
  /** Stable for the same happening: raising it again (a redelivered evaluation) sends nothing new. */
  readonly dedupKey: string;
}

/** Table-safe and stable: the same rule and resource always give the same violation id. */
export function violationId(ruleId: string, resourceKey: string): string {
  return createHash('sha256').update(`${ruleId}|${resourceKey}`).digest('hex').slice(0, 32);
}

/** The partition (vault or directory) a resource key lives in: an unreadable partition makes its resources unknown. */
export function partitionOf(resourceKey: string): string {
  const at = resourceKey.indexOf('~');
  return at > 0 ? resourceKey.slice(0, at) : resourceKey;
}

const alerting = (v: StoredViolation): boolean => v.severity === 'critical' || v.severity === 'high';

/** A waived violation whose waiver has expired is open again (also how the API shows it before the next scan). */
export function effectiveStatus(v: StoredViolation, now: string): StoredViolation['status'] {
  if (v.status === 'waived' && v.waiver && v.waiver.expiresAt <= now) return 'open';
  return v.status;
}

export interface ReconcileInput {
  readonly previous: ReadonlyMap<string, StoredViolation>;
  /** This evaluation's failed and not-evaluated results. */
  readonly results: readonly RuleResult[];
  /** Rules that ran this time; violations of other rules (disabled, deleted) are closed without an alert. */
  readonly activeRuleIds: ReadonlySet<string>;
  readonly titles: ReadonlyMap<string, string>;
  /** The scan's completion time: first-seen, last-seen and resolved-at, so a redelivery writes the same values. */
  readonly at: string;
}

/**
 * The violation lifecycle, decided without storage (like the reminder engine): a failure opens a violation (or
 * refreshes an open or waived one); a waiver past its expiry reopens it; a rule that ran and neither failed nor
 * could not evaluate the resource resolves it. Unknown is not resolved: a resource whose rule could not evaluate
 * it (or whose vault could not be read) keeps its violation as it was. New and reopened critical/high violations
 * and resolved ones that were open alert, each once (stable dedup keys).
 */
export function reconcileViolations(input: ReconcileInput): { upserts: StoredViolation[]; alerts: ViolationAlert[] } {
  const upserts: StoredViolation[] = [];
  const alerts: ViolationAlert[] = [];
  const unknownKeys = new Set<string>();
  const failures = new Map<string, RuleResult>();
  for (const r of input.results) {
    if (r.outcome === 'failed') failures.set(violationId(r.ruleId, r.ref.key), r);
    else if (r.outcome === 'notEvaluated') unknownKeys.add(`${r.ruleId}|${r.ref.key}`);
  }
  for (const [id, r] of failures) {
    const old = input.previous.get(id);
    const base = {
      id,
      ruleId: r.ruleId,
      ruleTitle: input.titles.get(r.ruleId) ?? r.ruleId,
      severity: r.severity,
      resource: r.ref,
      lastSeen: input.at,
      evidence: r.evidence,
    };
    if (!old || old.status === 'resolved') {
      const opened: StoredViolation = { ...base, status: 'open', firstSeen: input.at, resolvedAt: null, waiver: null };
      upserts.push(opened);
      if (alerting(opened))
        alerts.push({ kind: 'opened', violation: opened, dedupKey: `compliance:${id}:opened:${input.at}` });
      continue;
    }
    const status = effectiveStatus(old, input.at);
    const next: StoredViolation = { ...old, ...base, status, waiver: status === 'open' ? null : old.waiver };
    upserts.push(next);
    if (old.status === 'waived' && status === 'open' && alerting(next)) {
      alerts.push({
        kind: 'opened',
        violation: next,
        dedupKey: `compliance:${id}:reopened:${old.waiver?.expiresAt ?? ''}`,
      });
    }
  }
  for (const [id, old] of input.previous) {
    if (failures.has(id) || old.status === 'resolved') continue;
    const key = old.resource.key;
    const unknown = unknownKeys.has(`${old.ruleId}|${key}`) || unknownKeys.has(`${old.ruleId}|${partitionOf(key)}`);
    if (unknown && input.activeRuleIds.has(old.ruleId)) continue;
    const resolved: StoredViolation = { ...old, status: 'resolved', resolvedAt: input.at };
    upserts.push(resolved);
    const wasOpen = effectiveStatus(old, input.at) === 'open';
    if (input.activeRuleIds.has(old.ruleId) && wasOpen && alerting(old)) {
      alerts.push({ kind: 'resolved', violation: resolved, dedupKey: `compliance:${id}:resolved:${old.firstSeen}` });
    }
  }
  return { upserts, alerts };
}
