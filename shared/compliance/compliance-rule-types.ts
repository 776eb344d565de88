import type { FactsByScope, Scope } from './compliance-facts';

export const ruleSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type RuleSeverity = (typeof ruleSeverities)[number];

export const outcomes = ['passed', 'failed', 'notEvaluated'] as const;
export type Outcome = (typeof outcomes)[number];

export type EvidenceValue = string | number | boolean;
/** What a result was decided from: fact names and values (metadata only). */
export type Evidence = Readonly<Record<string, EvidenceValue>>;

export interface CheckResult {
  readonly outcome: Outcome;
  readonly evidence: Evidence;
}

/** An editable parameter of a built-in rule (admin, audited); values are validated against it. */
export interface ParamSpec {
  readonly name: string;
  readonly description: string;
  readonly type: 'int' | 'list';
  readonly default: number | string;
  readonly min?: number;
  readonly max?: number;
}

export type ParamValues = Readonly<Record<string, number | string>>;

export interface Remediation {
  readonly portal: string;
  readonly cli: string;
}

/**
 * A built-in rule. Its id is stable forever: never renumbered or reused; a retired rule keeps its id with
 * `retired: true` (a test pins the list). `check` returns null when the rule does not apply to the resource.
 */
export interface BuiltInRule<S extends Scope = Scope> {
  readonly id: string;
  readonly title: string;
  readonly severity: RuleSeverity;
  readonly scopes: readonly S[];
  readonly rationale: string;
  readonly remediation: Remediation;
  /** The facts the rule reads (docs/compliance.md lists them). */
  readonly evidence: readonly string[];
  readonly params: readonly ParamSpec[];
  readonly retired?: boolean;
  /**
   * False for the expiry rules: the scan's own reminders already alert on the same credential (secret_expiring,
   * secret_expired), so their violations are tracked and scored but raise no compliance alert of their own.
   */
  readonly alerts?: false;
  check(facts: FactsByScope[S], params: ParamValues): CheckResult | null;
}

/** A rule of any scope, as the catalogue holds it. */
export type AnyBuiltInRule =
  | { [S in Scope]: BuiltInRule<S> }[Scope]
  | BuiltInRule<'secret' | 'key' | 'certificate'>
  | BuiltInRule<'key' | 'certificate'>;

export function defineRule<S extends Scope>(rule: BuiltInRule<S>): BuiltInRule<S> {
  return rule;
}

export const pass = (evidence: Evidence): CheckResult => ({ outcome: 'passed', evidence });
export const fail = (evidence: Evidence): CheckResult => ({ outcome: 'failed', evidence });
export const unknown = (evidence: Evidence): CheckResult => ({ outcome: 'notEvaluated', evidence });
export const verdict = (ok: boolean, evidence: Evidence): CheckResult => (ok ? pass(evidence) : fail(evidence));

export function intParam(params: ParamValues, name: string): number {
  const value = params[name];
  return typeof value === 'number' ? value : Number(value);
}

export function listParam(params: ParamValues, name: string): string[] {
  return String(params[name] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}
