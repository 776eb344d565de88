import { loadTenant } from '../../dev/azure-sim/tenant-load';
import { fixedClock } from '../../shared/time/clock';
import { startComplianceStack, type ComplianceStack } from './compliance-stack';

const CHOSEN = ['KW-KV-008', 'KW-KV-009', 'KW-KV-010', 'KW-KV-013', 'KW-APP-005'] as const;
type Chosen = (typeof CHOSEN)[number];
const WEIGHT: Record<Chosen, number> = {
  'KW-KV-008': 3,
  'KW-KV-009': 3,
  'KW-KV-010': 3,
  'KW-KV-013': 3,
  'KW-APP-005': 2,
};

/** Failing resources per chosen rule, read straight from the tenant document (not through Keyward). */
function expectedFromDocument(): Record<Chosen, { pass: string[]; fail: string[] }> {
  const tenant = loadTenant('demo');
  const vaults = tenant.subscriptions.flatMap((s) => s.vaults);
  const split = <T>(list: readonly T[], name: (t: T) => string, ok: (t: T) => boolean) => ({
    pass: list.filter(ok).map(name).sort(),
    fail: list
      .filter((t) => !ok(t))
      .map(name)
      .sort(),
  });
  return {
    'KW-KV-008': split(
      vaults,
      (v) => v.name,
      (v) => v.enableSoftDelete,
    ),
    'KW-KV-009': split(
      vaults,
      (v) => v.name,
      (v) => v.enableSoftDelete && v.enablePurgeProtection,
    ),
    'KW-KV-010': split(
      vaults,
      (v) => v.name,
      (v) => v.access.model === 'rbac',
    ),
    'KW-KV-013': split(
      vaults,
      (v) => v.name,
      (v) => v.diagnostics,
    ),
    'KW-APP-005': split(
      tenant.applications,
      (a) => a.displayName,
      (a) => a.owners.length > 0,
    ),
  };
}

describe('compliance of the demo tenant, five chosen rules', () => {
  let s: ComplianceStack;
  beforeAll(async () => {
    s = await startComplianceStack({
      tenant: 'demo',
      clock: fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000)),
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('score and violations equal what the tenant file implies; a waiver is audited first and shows as waived', async () => {
    const { rules } = await s.get<{ rules: { id: string }[] }>('/api/compliance/rules');
    for (const rule of rules) {
      if ((CHOSEN as readonly string[]).includes(rule.id)) continue;
      const r = await s.send('PUT', `/api/compliance/rules/${rule.id}`, { enabled: false });
      expect(r.status).toBe(204);
    }
    expect((await s.send('DELETE', '/api/compliance/rules/KW-KV-008')).status).toBe(409);
    await s.scanAndEvaluate();

    const expected = expectedFromDocument();
    let passed = 0;
    let evaluated = 0;
    for (const id of CHOSEN) {
      const page = await s.get<{ violations: { resource: { name: string } }[] }>(
        `/api/compliance/violations?rule=${id}&pageSize=200`,
      );
      expect({ id, failing: page.violations.map((v) => v.resource.name).sort() }).toEqual({
        id,
        failing: expected[id].fail,
      });
      passed += WEIGHT[id] * expected[id].pass.length;
      evaluated += WEIGHT[id] * (expected[id].pass.length + expected[id].fail.length);
    }
    const score = await s.get<{
      score: number;
      passed: number;
      failed: number;
      notEvaluated: number;
      trend: unknown[];
    }>('/api/compliance/score');
    const failures = CHOSEN.reduce((n, id) => n + expected[id].fail.length, 0);
    expect(score).toMatchObject({
      score: Math.round((1000 * passed) / evaluated) / 10,
      failed: failures,
      passed: CHOSEN.reduce((n, id) => n + expected[id].pass.length, 0),
      notEvaluated: 0,
    });
    expect(score.trend).toHaveLength(1);

    // Waive one violation: audited before it applies, then listed as waived (not open) with its reason.
    const open = await s.get<{ violations: { id: string }[] }>('/api/compliance/violations?rule=KW-KV-010');
    const target = open.violations[0]?.id ?? '';
    const past = await s.send('POST', `/api/compliance/violations/${target}/waive`, {
      reason: 'legacy',
      expiresAt: '2000-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const waived = await s.send('POST', `/api/compliance/violations/${target}/waive`, {
      reason: 'migrating to RBAC',
      expiresAt,
    });
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({ status: 'waived', waiver: { reason: 'migrating to RBAC' } });
    const listed = await s.get<{ violations: { id: string }[] }>('/api/compliance/violations?status=waived');
    expect(listed.violations.map((v) => v.id)).toEqual([target]);
    const audit = await s.get<{ entries: { action: string; target: string }[] }>('/api/audit?action=compliance');
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['compliance.rule.updated', 'compliance.violation.waived']),
    );

    // The next scan keeps it waived and scores it apart from the failures.
    await s.scanAndEvaluate();
    const after = await s.get<{ failed: number; waived: number; trend: unknown[] }>('/api/compliance/score');
    expect(after).toMatchObject({ failed: failures - 1, waived: 1 });
    expect(after.trend).toHaveLength(2);
  });
});
