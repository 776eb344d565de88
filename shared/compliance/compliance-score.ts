import type { EvaluationSummary, RuleTally } from './compliance-store';
import type { CustomRule, FrameworkSummary } from './compliance-types';
import { frameworks, type Framework, type FrameworkControl } from './framework-catalogue';
import { ruleSeverities, type RuleSeverity } from './compliance-rule-types';

/**
 * Score weights: a failed critical rule result costs four times a failed low one. The score is
 * 100 × Σ weight·passed / Σ weight·(passed + failed); waived and not-evaluated results are left out, and the score is
 * null when nothing was evaluated (no evidence is not a perfect score).
 */
export const SEVERITY_WEIGHT: Readonly<Record<RuleSeverity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

export function weightedScore(tallies: readonly (RuleTally & { severity: RuleSeverity })[]): number | null {
  let passed = 0;
  let evaluated = 0;
  for (const t of tallies) {
    const w = SEVERITY_WEIGHT[t.severity];
    passed += w * t.passed;
    evaluated += w * (t.passed + t.failed);
  }
  return evaluated === 0 ? null : Math.round((1000 * passed) / evaluated) / 10;
}

export type ControlStatus = 'passed' | 'failed' | 'notEvaluated' | 'customer';

/** The rules mapped to a control: the framework file's and the custom rules that name it. */
export function controlRules(framework: Framework, control: FrameworkControl, custom: readonly CustomRule[]): string[] {
  const extra = custom
    .filter((r) => r.frameworks.some((f) => f.framework === framework.id && f.control === control.id))
    .map((r) => r.id);
  return [...control.rules, ...extra];
}

/** A control fails when any of its rules failed, passes when some passed and none failed, otherwise unknown. */
export function controlStatus(control: FrameworkControl, tallies: readonly (RuleTally | undefined)[]): ControlStatus {
  if (control.evidence === 'customer' && tallies.length === 0) return 'customer';
  if (tallies.some((t) => t && t.failed > 0)) return 'failed';
  if (tallies.some((t) => t && t.passed > 0)) return 'passed';
  return 'notEvaluated';
}

export function frameworkSummaries(
  summary: EvaluationSummary | null,
  custom: readonly CustomRule[],
  list: readonly Framework[] = frameworks,
): FrameworkSummary[] {
  const tallies = new Map((summary?.tallies ?? []).map((t) => [t.ruleId, t]));
  return list.map((f) => {
    const counts = { passed: 0, failed: 0, notEvaluated: 0, customer: 0, total: f.controls.length };
    for (const c of f.controls)
      counts[
        controlStatus(
          c,
          controlRules(f, c, custom).map((id) => tallies.get(id)),
        )
      ] += 1;
    const decided = counts.passed + counts.failed;
    return {
      id: f.id,
      name: f.name,
      family: f.family,
      version: f.version,
      score: decided === 0 ? null : Math.round((1000 * counts.passed) / decided) / 10,
      controls: counts,
    };
  });
}

export function totals(summary: EvaluationSummary | null) {
  const tallies = (summary?.tallies ?? []).map((t) => ({
    ...t,
    severity: summary?.rules[t.ruleId]?.severity ?? 'low',
  }));
  const zero = () => ({ passed: 0, failed: 0, waived: 0, notEvaluated: 0 });
  const bySeverity = Object.fromEntries(ruleSeverities.map((s) => [s, zero()])) as Record<
    RuleSeverity,
    ReturnType<typeof zero>
  >;
  const all = zero();
  for (const t of tallies) {
    for (const target of [all, bySeverity[t.severity]]) {
      target.passed += t.passed;
      target.failed += t.failed;
      target.waived += t.waived;
      target.notEvaluated += t.notEvaluated;
    }
  }
  return {
    score: weightedScore(tallies),
    ...all,
    total: all.passed + all.failed + all.waived + all.notEvaluated,
    bySeverity,
  };
}
