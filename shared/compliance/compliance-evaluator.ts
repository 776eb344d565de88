import type { AlertRaised, ScanCompleted } from '../events/event-catalog';
import { builtInRules } from './builtin-rules';
import { CelRuleError } from './compliance-cel';
import type { ComplianceDeps } from './compliance-deps';
import { unresolvedAfter } from './compliance-first-pages';
import type { EvaluationLease } from './compliance-lease';
import { activeRules, evaluateRules, type ActiveRule, type RuleRun } from './compliance-engine';
import { buildComplianceInventory } from './compliance-inventory';
import { weightedScore } from './compliance-score';
import type { RuleTally } from './compliance-store';
import { reconcileViolations, type StoredViolation, type ViolationAlert } from './compliance-violations';
import type { CustomRule, RuleSettings } from './compliance-types';

/** Everything the rules read, as the last scan left it (the test endpoint reads the same). */
export async function loadComplianceInventory(
  deps: Pick<ComplianceDeps, 'estate' | 'posture' | 'inventory'>,
  at: Date,
  unreachablePartitions: readonly string[],
) {
  const [subscriptions, vaults, posture] = await Promise.all([
    deps.estate.listSubscriptions(),
    deps.estate.listVaults(),
    deps.posture.readAll(),
  ]);
  const items = [];
  for await (const item of deps.inventory.listAll()) items.push(item);
  return buildComplianceInventory({ subscriptions, vaults, posture, items, unreachablePartitions, now: at });
}

/** The enabled rules; a stored custom rule that no longer compiles (a library upgrade) is skipped, not fatal. */
export function runnableRules(
  deps: Pick<ComplianceDeps, 'log'>,
  settings: ReadonlyMap<string, RuleSettings>,
  custom: readonly CustomRule[],
): ActiveRule[] {
  const compiled: CustomRule[] = [];
  for (const rule of custom) {
    try {
      activeRules(new Map(), [rule]);
      compiled.push(rule);
    } catch (error) {
      if (!(error instanceof CelRuleError)) throw error;
      deps.log.warn(`custom rule ${rule.id} skipped: its condition no longer compiles`);
    }
  }
  return activeRules(settings, compiled);
}

function alertOf(alert: ViolationAlert): AlertRaised {
  const v = alert.violation;
  const opened = alert.kind === 'opened';
  return {
    alertType: 'compliance_violation',
    subject: `${opened ? 'Compliance violation' : 'Resolved'}: ${v.ruleTitle} — ${v.resource.name}`.slice(0, 300),
    severity: opened ? (v.severity === 'critical' ? 'critical' : 'severe') : 'info',
    facts: {
      rule: v.ruleId,
      severity: v.severity,
      status: opened ? 'open' : 'resolved',
      resource: v.resource.name.slice(0, 1000),
      scope: v.resource.scope,
      ...(v.resource.vaultName ? { vault: v.resource.vaultName } : {}),
      firstSeen: v.firstSeen,
      violationId: v.id,
    },
    dedupKey: alert.dedupKey,
    subscriptionId: v.resource.subscriptionId,
    tags: {},
  };
}

function tallies(runs: readonly RuleRun[], upserts: readonly StoredViolation[], at: string): RuleTally[] {
  const waived = new Map<string, number>();
  for (const v of upserts) {
    if (v.status === 'waived' && v.lastSeen === at) waived.set(v.ruleId, (waived.get(v.ruleId) ?? 0) + 1);
  }
  return runs.map((r) => {
    const w = Math.min(r.failed, waived.get(r.ruleId) ?? 0);
    return {
      ruleId: r.ruleId,
      passed: r.passed,
      failed: r.failed - w,
      waived: w,
      notEvaluated: r.notEvaluated,
      budgetExceeded: r.budgetExceeded,
    };
  });
}

/** A newer scan than this one was already evaluated (its results must not be overwritten by older ones). */
async function supersededBy(deps: Pick<ComplianceDeps, 'store'>, event: ScanCompleted): Promise<boolean> {
  const last = await deps.store.readSummary();
  return last !== null && last.scanId !== event.scanId && last.completedAt > event.completedAt;
}

/**
 * The `scan.completed` subscriber: evaluates every enabled rule over the stored inventory, reconciles violations,
 * raises alerts, and writes the summary the read endpoints serve. Times come from the event, so a redelivery
 * writes the same rows and raises alerts with the same dedup keys (dropped as duplicates). Alerts are published
 * before the violations are written: a crash in between re-raises (deduplicated) rather than losing an alert.
 * An event older than the last evaluated scan is skipped. Evaluations of one tenant run one at a time under a
 * lease (compliance-lease.ts): the second waits for the first, then checks again whether its scan is still newer,
 * so the stored state is always that of evaluations run one after another.
 */
export async function evaluateScan(deps: ComplianceDeps, event: ScanCompleted): Promise<{ evaluated: boolean }> {
  if (await supersededBy(deps, event)) return { evaluated: false };
  const lease = await deps.leases.acquire(event.scanId);
  try {
    if (await supersededBy(deps, event)) return { evaluated: false };
    await evaluateUnderLease(deps, event, lease);
    return { evaluated: true };
  } finally {
    await lease.release();
  }
}

async function evaluateUnderLease(deps: ComplianceDeps, event: ScanCompleted, lease: EvaluationLease): Promise<void> {
  const at = event.completedAt;
  const [inventory, settings, custom, previous] = await Promise.all([
    loadComplianceInventory(deps, new Date(at), event.unreachablePartitions),
    deps.store.readRuleSettings(),
    deps.store.listCustomRules(),
    deps.store.readUnresolved(),
  ]);
  const rules = runnableRules(deps, settings, custom);
  const { results, runs } = evaluateRules(inventory, rules, {
    budgetMs: deps.ruleBudgetMs.scan,
    itemBudgetMs: deps.ruleBudgetMs.item,
    nowMs: deps.wallMs,
    keep: new Set(['failed', 'notEvaluated']),
  });
  const { upserts, alerts } = reconcileViolations({
    previous,
    results,
    activeRuleIds: new Set(rules.map((r) => r.id)),
    titles: new Map(rules.map((r) => [r.id, r.title])),
    at,
  });
  // Expiry rules leave alerting to the scan's reminders (one alert per credential, not two).
  const silent = new Set(builtInRules.filter((r) => r.alerts === false).map((r) => r.id));
  // Nothing is published or written by a holder whose lease lapsed while it computed (another evaluation may be
  // writing); the message is retried and evaluated again from what is stored then.
  await lease.assertHeld();
  for (const alert of alerts) {
    if (!silent.has(alert.violation.ruleId)) await deps.publish('alert.raised', alert.dedupKey, alertOf(alert));
  }
  await lease.assertHeld();
  await deps.store.putViolations(upserts, previous);
  await deps.store.putFirstPages(unresolvedAfter(previous, upserts));
  const tally = tallies(runs, upserts, at);
  const ruleInfo = Object.fromEntries(rules.map((r) => [r.id, { severity: r.severity, title: r.title }]));
  const score = weightedScore(tally.map((t) => ({ ...t, severity: ruleInfo[t.ruleId]?.severity ?? 'low' })));
  await lease.assertHeld();
  await deps.store.putSummary(
    {
      scanId: event.scanId,
      completedAt: at,
      evaluatedAt: deps.clock.now().toISOString(),
      tallies: tally,
      rules: ruleInfo,
    },
    { scanId: event.scanId, at, score },
  );
  const slow = runs.filter((r) => r.budgetExceeded).map((r) => r.ruleId);
  if (slow.length > 0) deps.log.warn(`compliance: rules stopped at their time budget: ${slow.join(', ')}`);
  deps.log.info(
    `compliance: scan ${event.scanId} evaluated ${rules.length} rules (${builtInRules.length} built-in), ` +
      `${upserts.length} violation changes, ${alerts.length} alerts`,
  );
}
