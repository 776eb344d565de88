import { randomBytes } from 'node:crypto';
import type { AuditActor } from '../audit/audit-types';
import { builtInRules, findBuiltInRule } from './builtin-rules';
import { CelRuleError, compileCondition } from './compliance-cel';
import type { ComplianceDeps } from './compliance-deps';
import { customRule, effectiveParams, evaluateRules } from './compliance-engine';
import {
  ComplianceConditionError,
  ComplianceConflictError,
  ComplianceInputError,
  ComplianceNotFoundError,
} from './compliance-errors';
import { loadComplianceInventory } from './compliance-evaluator';
import { controlRules, controlStatus, frameworkSummaries, totals } from './compliance-score';
import type { RuleTally } from './compliance-store';
import type {
  CustomRule,
  NewCustomRule,
  FrameworkDetail,
  RuleTestResponse,
  RuleUpdate,
  RuleView,
  ScoreResponse,
  Violation,
  ViolationsQuery,
} from './compliance-types';
import { effectiveStatus, type StoredViolation } from './compliance-violations';
import { COMPLIANCE_DISCLAIMER, findFramework, frameworks, frameworksOfRule } from './framework-catalogue';
import type { ParamSpec } from './compliance-rule-types';
import { ComplianceBusyError, type EvaluationLease } from './compliance-lease';

const TREND_POINTS = 30;
const MAX_WAIVER_DAYS = 365;
const MAX_CUSTOM_RULES = 100;
/** How long a waiver waits for a running evaluation before it answers 409. */
const WAIVER_LEASE_WAIT_MS = 10_000;

function compileOrRefuse(scope: CustomRule['scope'], condition: string): void {
  try {
    compileCondition(scope, condition);
  } catch (error) {
    if (error instanceof CelRuleError) throw new ComplianceConditionError(error);
    throw error;
  }
}

function checkFrameworkRefs(refs: CustomRule['frameworks']): void {
  for (const ref of refs) {
    const f = findFramework(ref.framework);
    if (!f || !f.controls.some((c) => c.id === ref.control))
      throw new ComplianceInputError(`frameworks: ${ref.framework} has no control ${ref.control}`);
  }
}

function checkParams(specs: readonly ParamSpec[], params: Readonly<Record<string, number | string>>): void {
  for (const [name, value] of Object.entries(params)) {
    const spec = specs.find((p) => p.name === name);
    if (!spec) throw new ComplianceInputError(`params.${name}: this rule has no such parameter`);
    if (spec.type === 'int') {
      if (
        typeof value !== 'number' ||
        (spec.min !== undefined && value < spec.min) ||
        (spec.max !== undefined && value > spec.max)
      )
        throw new ComplianceInputError(`params.${name}: an integer from ${spec.min ?? '-'} to ${spec.max ?? '-'}`);
    } else if (typeof value !== 'string' || !/^[\w.-]+(,[\w.-]+)*$/.test(value.replace(/\s+/g, ''))) {
      throw new ComplianceInputError(`params.${name}: a comma-separated list`);
    }
  }
}

/** The API's operations over the stored evaluation; reads never rescan the inventory. */
export function createComplianceService(deps: ComplianceDeps) {
  const { store } = deps;

  async function customRules(): Promise<CustomRule[]> {
    return store.listCustomRules();
  }

  function toViolation(v: StoredViolation, custom: readonly CustomRule[], now: string): Violation {
    const own = custom.find((r) => r.id === v.ruleId)?.frameworks.map((f) => f.framework) ?? [];
    return { ...v, status: effectiveStatus(v, now), frameworks: [...new Set([...frameworksOfRule(v.ruleId), ...own])] };
  }

  async function score(): Promise<ScoreResponse> {
    const [summary, trend, custom] = await Promise.all([
      store.readSummary(),
      store.readTrend(TREND_POINTS),
      customRules(),
    ]);
    return {
      scanId: summary?.scanId ?? null,
      evaluatedAt: summary?.evaluatedAt ?? null,
      ...totals(summary),
      frameworks: frameworkSummaries(summary, custom),
      trend,
      disclaimer: COMPLIANCE_DISCLAIMER,
    };
  }

  async function listFrameworks() {
    const [summary, custom] = await Promise.all([store.readSummary(), customRules()]);
    return { frameworks: frameworkSummaries(summary, custom), disclaimer: COMPLIANCE_DISCLAIMER };
  }

  async function framework(id: string): Promise<FrameworkDetail> {
    const f = findFramework(id);
    if (!f) throw new ComplianceNotFoundError(`no framework ${id}`);
    const [summary, custom, settings] = await Promise.all([
      store.readSummary(),
      customRules(),
      store.readRuleSettings(),
    ]);
    const tallies = new Map((summary?.tallies ?? []).map((t) => [t.ruleId, t]));
    const [base] = frameworkSummaries(summary, custom, [f]);
    if (!base) throw new ComplianceNotFoundError(`no framework ${id}`);
    return {
      ...base,
      source: f.source,
      disclaimer: COMPLIANCE_DISCLAIMER,
      scanId: summary?.scanId ?? null,
      controlDetails: f.controls.map((c) => {
        const ids = controlRules(f, c, custom);
        return {
          id: c.id,
          title: c.title,
          level: c.level ?? null,
          evidenceType: c.evidence,
          status: controlStatus(
            c,
            ids.map((r) => tallies.get(r)),
          ),
          rules: ids.map((ruleId) => {
            const builtIn = findBuiltInRule(ruleId);
            const own = custom.find((r) => r.id === ruleId);
            return {
              id: ruleId,
              title: builtIn?.title ?? own?.title ?? ruleId,
              severity: builtIn?.severity ?? own?.severity ?? 'low',
              enabled: builtIn ? !builtIn.retired && settings.get(ruleId)?.enabled !== false : (own?.enabled ?? false),
              result: tallyView(tallies.get(ruleId)),
            };
          }),
        };
      }),
    };
  }

  async function listRules(): Promise<{ rules: RuleView[] }> {
    const [settings, custom, summary] = await Promise.all([
      store.readRuleSettings(),
      customRules(),
      store.readSummary(),
    ]);
    const tallies = new Map((summary?.tallies ?? []).map((t) => [t.ruleId, t]));
    const views: RuleView[] = builtInRules.map((rule) => {
      const s = settings.get(rule.id);
      const values = effectiveParams(rule.id, s);
      return {
        id: rule.id,
        kind: 'builtIn',
        title: rule.title,
        severity: rule.severity,
        scopes: [...rule.scopes],
        rationale: rule.rationale,
        remediation: rule.remediation,
        evidence: [...rule.evidence],
        params: rule.params.map((p) => ({ ...p, value: values[p.name] ?? p.default })),
        enabled: !rule.retired && s?.enabled !== false,
        retired: rule.retired === true,
        condition: null,
        frameworks: frameworks.flatMap((f) =>
          f.controls.filter((c) => c.rules.includes(rule.id)).map((c) => ({ framework: f.id, control: c.id })),
        ),
        lastRun: tallyView(tallies.get(rule.id)),
      };
    });
    for (const rule of custom) {
      views.push({
        id: rule.id,
        kind: 'custom',
        title: rule.title,
        severity: rule.severity,
        scopes: [rule.scope],
        rationale: '',
        remediation: { portal: rule.remediation, cli: '' },
        evidence: [],
        params: [],
        enabled: rule.enabled,
        retired: false,
        condition: rule.condition,
        frameworks: rule.frameworks,
        lastRun: tallyView(tallies.get(rule.id)),
      });
    }
    return { rules: views };
  }

  async function createRule(input: NewCustomRule, actor: AuditActor) {
    compileOrRefuse(input.scope, input.condition);
    checkFrameworkRefs(input.frameworks);
    if ((await customRules()).length >= MAX_CUSTOM_RULES)
      throw new ComplianceConflictError(`at most ${MAX_CUSTOM_RULES} custom rules`);
    const now = deps.clock.now().toISOString();
    const rule: CustomRule = {
      ...input,
      id: `CUSTOM-${randomBytes(6).toString('hex')}`,
      createdAt: now,
      updatedAt: now,
    };
    await deps.audit.append({
      actor,
      action: 'compliance.rule.created',
      target: `compliance/rule/${rule.id}`,
      outcome: 'success',
      details: {
        scope: rule.scope,
        severity: rule.severity,
        title: rule.title,
        condition: rule.condition,
        enabled: rule.enabled,
      },
    });
    await store.putCustomRule(rule);
    return rule;
  }

  async function updateRule(id: string, update: RuleUpdate, actor: AuditActor): Promise<void> {
    const builtIn = findBuiltInRule(id);
    if (builtIn) {
      const { enabled, params, ...rest } = update;
      if (Object.keys(rest).length > 0) throw new ComplianceInputError('built-in rules take only enabled and params');
      checkParams(builtIn.params, params ?? {});
      const settings = await store.readRuleSettings();
      const before = settings.get(id) ?? { enabled: true, params: {} };
      const after = { enabled: enabled ?? before.enabled, params: { ...before.params, ...params } };
      await deps.audit.append({
        actor,
        action: 'compliance.rule.updated',
        target: `compliance/rule/${id}`,
        outcome: 'success',
        details: { before, after },
      });
      await store.putRuleSettings(id, after);
      return;
    }
    const old = await store.getCustomRule(id);
    if (!old) throw new ComplianceNotFoundError(`no rule ${id}`);
    if (update.params) throw new ComplianceInputError('custom rules have no params');
    const { params: _p, ...fields } = update;
    const next: CustomRule = { ...old, ...fields, updatedAt: deps.clock.now().toISOString() };
    compileOrRefuse(next.scope, next.condition);
    checkFrameworkRefs(next.frameworks);
    await deps.audit.append({
      actor,
      action: 'compliance.rule.updated',
      target: `compliance/rule/${id}`,
      outcome: 'success',
      details: { before: { ...old }, after: { ...next } },
    });
    await store.putCustomRule(next);
  }

  async function deleteRule(id: string, actor: AuditActor): Promise<void> {
    if (findBuiltInRule(id))
      throw new ComplianceConflictError('built-in rules can be disabled or re-parameterised, not deleted');
    const old = await store.getCustomRule(id);
    if (!old) throw new ComplianceNotFoundError(`no rule ${id}`);
    await deps.audit.append({
      actor,
      action: 'compliance.rule.deleted',
      target: `compliance/rule/${id}`,
      outcome: 'success',
      details: { title: old.title, scope: old.scope, condition: old.condition },
    });
    await store.deleteCustomRule(id);
  }

  /** Evaluates a draft against the stored inventory, persisting nothing; bounded by the rule time budget. */
  async function testRule(body: {
    scope: CustomRule['scope'];
    condition: string;
    limit: number;
  }): Promise<RuleTestResponse> {
    const t0 = deps.wallMs();
    let rule;
    try {
      rule = customRule({ id: 'draft', title: 'draft', severity: 'low', scope: body.scope, condition: body.condition });
    } catch (error) {
      if (error instanceof CelRuleError) throw new ComplianceConditionError(error);
      throw error;
    }
    const compileMs = deps.wallMs() - t0;
    const summary = await store.readSummary();
    const inventory = await loadComplianceInventory(deps, deps.clock.now(), []);
    const t1 = deps.wallMs();
    const { results, runs } = evaluateRules(inventory, [rule], {
      budgetMs: deps.ruleBudgetMs.test,
      itemBudgetMs: deps.ruleBudgetMs.item,
      nowMs: deps.wallMs,
      keep: new Set(['failed', 'notEvaluated']),
      maxKeptPerRule: body.limit,
    });
    const run = runs[0];
    return {
      counts: { passed: run?.passed ?? 0, failed: run?.failed ?? 0, notEvaluated: run?.notEvaluated ?? 0 },
      matches: results.map((r) => ({ resource: r.ref, outcome: r.outcome, evidence: r.evidence })),
      budgetExceeded: run?.budgetExceeded ?? false,
      timing: { compileMs: Math.max(0, compileMs), evaluateMs: Math.max(0, deps.wallMs() - t1) },
      scanId: summary?.scanId ?? null,
    };
  }

  async function listViolations(query: ViolationsQuery) {
    const custom = await customRules();
    let ruleIds: string[] | undefined;
    if (query.framework) {
      const f = findFramework(query.framework);
      if (!f) throw new ComplianceInputError(`framework: no framework ${query.framework}`);
      ruleIds = [...new Set(f.controls.flatMap((c) => controlRules(f, c, custom)))];
    }
    if (query.rule) ruleIds = ruleIds ? ruleIds.filter((r) => r === query.rule) : [query.rule];
    const page = await store.queryViolations(
      {
        status: query.status,
        ...(query.severity ? { severity: query.severity } : {}),
        ...(ruleIds ? { ruleIds } : {}),
        ...(query.vault ? { vaultName: query.vault } : {}),
        ...(query.subscription ? { subscriptionId: query.subscription } : {}),
      },
      query.pageSize,
      query.continuationToken,
    );
    const now = deps.clock.now().toISOString();
    return {
      violations: page.violations.map((v) => toViolation(v, custom, now)),
      continuationToken: page.continuationToken,
      disclaimer: COMPLIANCE_DISCLAIMER,
    };
  }

  /**
   * A waiver is written under the evaluation lease: an evaluation refreshes every open violation from what it read
   * when it started, so a waiver written during one would be overwritten (the waiver audited but not in effect).
   * Evaluations take seconds; a waiver that finds one running waits briefly, then answers 409 and changes nothing.
   */
  async function waive(id: string, body: { reason: string; expiresAt: string }, actor: AuditActor): Promise<Violation> {
    let lease: EvaluationLease;
    try {
      lease = await deps.leases.acquire('waiver', WAIVER_LEASE_WAIT_MS);
    } catch (error) {
      if (!(error instanceof ComplianceBusyError)) throw error;
      throw new ComplianceConflictError('a compliance evaluation is running; try the waiver again in a minute');
    }
    try {
      return await waiveUnderLease(id, body, actor);
    } finally {
      await lease.release();
    }
  }

  async function waiveUnderLease(
    id: string,
    body: { reason: string; expiresAt: string },
    actor: AuditActor,
  ): Promise<Violation> {
    const v = await store.getViolation(id);
    if (!v) throw new ComplianceNotFoundError(`no violation ${id}`);
    const now = deps.clock.now();
    const expires = Date.parse(body.expiresAt);
    if (!(expires > now.getTime())) throw new ComplianceInputError('expiresAt must be in the future');
    if (expires - now.getTime() > MAX_WAIVER_DAYS * 86_400_000)
      throw new ComplianceInputError(`expiresAt must be within ${MAX_WAIVER_DAYS} days`);
    if (v.status === 'resolved') throw new ComplianceConflictError('the violation is resolved');
    const waiver = {
      reason: body.reason,
      expiresAt: new Date(expires).toISOString(),
      waivedBy: `${actor.type}:${actor.id}`,
      waivedAt: now.toISOString(),
    };
    await deps.audit.append({
      actor,
      action: 'compliance.violation.waived',
      target: `compliance/violation/${id}`,
      outcome: 'success',
      details: { ruleId: v.ruleId, resource: v.resource.name, reason: waiver.reason, expiresAt: waiver.expiresAt },
    });
    const next: StoredViolation = { ...v, status: 'waived', waiver };
    await store.putViolations([next], new Map([[v.id, v]]));
    // The stored first pages show it under its new status (a waiver is rare: re-reading the open set is fine).
    await store.putFirstPages((await store.readUnresolved()).values());
    return toViolation(next, await customRules(), now.toISOString());
  }

  return {
    score,
    listFrameworks,
    framework,
    listRules,
    createRule,
    updateRule,
    deleteRule,
    testRule,
    listViolations,
    waive,
  };
}

function tallyView(t: RuleTally | undefined) {
  return t
    ? {
        passed: t.passed,
        failed: t.failed,
        waived: t.waived,
        notEvaluated: t.notEvaluated,
        budgetExceeded: t.budgetExceeded,
      }
    : null;
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
