import { builtInRules } from './builtin-rules';
import { compileCondition } from './compliance-cel';
import {
  resourcesOf,
  type ComplianceInventory,
  type FactsByScope,
  type ResourceRef,
  type Scope,
} from './compliance-facts';
import type { CheckResult, Evidence, Outcome, ParamValues, RuleSeverity } from './compliance-rule-types';
import type { CustomRule, RuleSettings } from './compliance-types';

/** A rule ready to run: a built-in with its parameters, or a compiled custom rule. */
export interface ActiveRule {
  readonly id: string;
  readonly title: string;
  readonly severity: RuleSeverity;
  readonly scopes: readonly Scope[];
  check(facts: FactsByScope[Scope]): CheckResult | null;
}

export interface RuleResult {
  readonly ruleId: string;
  readonly severity: RuleSeverity;
  readonly ref: ResourceRef;
  readonly outcome: Outcome;
  readonly evidence: Evidence;
}

export interface RuleRun {
  readonly ruleId: string;
  readonly passed: number;
  readonly failed: number;
  readonly notEvaluated: number;
  /** The rule's time budget ran out: the resources after that point are "not evaluated". */
  readonly budgetExceeded: boolean;
  readonly elapsedMs: number;
}

/** Built-in defaults overlaid with the admin's parameters. */
export function effectiveParams(ruleId: string, settings: RuleSettings | undefined): ParamValues {
  const rule = builtInRules.find((r) => r.id === ruleId);
  const out: Record<string, number | string> = {};
  for (const p of rule?.params ?? []) out[p.name] = settings?.params[p.name] ?? p.default;
  return out;
}

/** The enabled rules: built-ins unless disabled or retired, and the enabled custom rules, compiled. */
export function activeRules(settings: ReadonlyMap<string, RuleSettings>, custom: readonly CustomRule[]): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const rule of builtInRules) {
    const s = settings.get(rule.id);
    if (rule.retired || s?.enabled === false) continue;
    const params = effectiveParams(rule.id, s);
    const check = rule.check as (facts: FactsByScope[Scope], p: ParamValues) => CheckResult | null;
    out.push({ ...rule, check: (facts) => check(facts, params) });
  }
  for (const rule of custom) if (rule.enabled) out.push(customRule(rule));
  return out;
}

/** A custom rule: true = passed; a value the condition cannot evaluate (e.g. division by zero) = not evaluated. */
export function customRule(rule: Pick<CustomRule, 'id' | 'title' | 'severity' | 'scope' | 'condition'>): ActiveRule {
  const compiled = compileCondition(rule.scope, rule.condition);
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    scopes: [rule.scope],
    check(facts): CheckResult {
      try {
        return {
          outcome: compiled.evaluate(facts as FactsByScope[typeof rule.scope]) ? 'passed' : 'failed',
          evidence: {},
        };
      } catch (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'evaluation error';
        return { outcome: 'notEvaluated', evidence: { error: message.slice(0, 200) } };
      }
    },
  };
}

export interface EvaluationOptions {
  /** Wall time one rule may spend on one evaluation, checked between resources. */
  readonly budgetMs: number;
  /** Wall time one rule may spend on one resource; a rule that exceeds it once is stopped (a hostile condition). */
  readonly itemBudgetMs?: number;
  readonly nowMs: () => number;
  /** Keep the results of these outcomes (the evaluator keeps failures and unknowns; the test endpoint all). */
  readonly keep: ReadonlySet<Outcome>;
  /** Stop keeping results after this many per rule (counts stay exact). */
  readonly maxKeptPerRule?: number;
}

/**
 * Runs every rule over the resources of its scopes. Partitions the scan could not read give one "not evaluated"
 * result per rule instead of silently passing. A rule that runs out of its time budget stops; the rest of its
 * resources count as not evaluated, so a slow custom rule cannot hold a worker.
 */
export function evaluateRules(
  inventory: ComplianceInventory,
  rules: readonly ActiveRule[],
  options: EvaluationOptions,
): { results: RuleResult[]; runs: RuleRun[] } {
  const results: RuleResult[] = [];
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const counts: Record<Outcome, number> = { passed: 0, failed: 0, notEvaluated: 0 };
    let kept = 0;
    const record = (ref: ResourceRef, r: CheckResult): void => {
      counts[r.outcome] += 1;
      if (options.keep.has(r.outcome) && kept < (options.maxKeptPerRule ?? Infinity)) {
        kept += 1;
        results.push({ ruleId: rule.id, severity: rule.severity, ref, outcome: r.outcome, evidence: r.evidence });
      }
    };
    const started = options.nowMs();
    let budgetExceeded = false;
    for (const scope of rule.scopes) {
      for (const resource of resourcesOf(inventory, scope)) {
        if (budgetExceeded) {
          record(resource.ref, { outcome: 'notEvaluated', evidence: { reason: 'rule time budget exceeded' } });
          continue;
        }
        const before = options.nowMs();
        const r = rule.check(resource.facts);
        if (r) record(resource.ref, r);
        const after = options.nowMs();
        if (after - started > options.budgetMs || after - before > (options.itemBudgetMs ?? Infinity))
          budgetExceeded = true;
      }
    }
    for (const partition of inventory.unreadable) {
      if (partition.scopes.some((s) => rule.scopes.includes(s)))
        record(partition.ref, { outcome: 'notEvaluated', evidence: { reason: 'the scan could not read this data' } });
    }
    runs.push({ ruleId: rule.id, ...counts, budgetExceeded, elapsedMs: Math.max(0, options.nowMs() - started) });
  }
  return { results, runs };
}
