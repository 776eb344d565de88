import { builtInRules } from './builtin-rules';
import { findFramework, frameworks } from './framework-catalogue';

describe('built-in rule catalogue', () => {
  it('keeps its ids: never renumbered, never reused (a retired rule stays with retired: true)', () => {
    expect(builtInRules.map((r) => r.id)).toEqual([
      'KW-KV-001',
      'KW-KV-002',
      'KW-KV-003',
      'KW-KV-004',
      'KW-KV-005',
      'KW-KV-006',
      'KW-KV-007',
      'KW-KV-008',
      'KW-KV-009',
      'KW-KV-010',
      'KW-KV-011',
      'KW-KV-012',
      'KW-KV-013',
      'KW-KV-014',
      'KW-KV-015',
      'KW-KV-016',
      'KW-KV-017',
      'KW-KV-018',
      'KW-KV-019',
      'KW-KV-020',
      'KW-APP-001',
      'KW-APP-002',
      'KW-APP-003',
      'KW-APP-004',
      'KW-APP-005',
      'KW-APP-006',
    ]);
  });

  it('gives every rule a title, rationale, remediation (portal and az), evidence and a valid severity', () => {
    for (const rule of builtInRules) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(10);
      expect(rule.remediation.portal.length).toBeGreaterThan(5);
      expect(rule.remediation.cli).toMatch(/^az /);
      expect(rule.evidence.length).toBeGreaterThan(0);
      expect(['critical', 'high', 'medium', 'low']).toContain(rule.severity);
      for (const p of rule.params) expect(p.type === 'int' ? typeof p.default : 'string').toBe(typeof p.default);
    }
  });
});

describe('framework mappings', () => {
  const ids = new Set(builtInRules.map((r) => r.id));

  it('reference only existing rule ids, with unique control ids per framework', () => {
    for (const f of frameworks) {
      const controlIds = f.controls.map((c) => c.id);
      expect(new Set(controlIds).size).toBe(controlIds.length);
      for (const c of f.controls)
        for (const r of c.rules)
          expect({ framework: f.id, rule: r, known: ids.has(r) }).toEqual({ framework: f.id, rule: r, known: true });
    }
  });

  it('map every rule that is not retired to at least one control', () => {
    const mapped = new Set(frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules)));
    expect(builtInRules.filter((r) => !r.retired && !mapped.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('mark controls with no rule as customer responsibility, and rule-backed ones as direct or supporting', () => {
    for (const f of frameworks)
      for (const c of f.controls) expect(c.rules.length === 0).toBe(c.evidence === 'customer');
  });

  it('carry each CIS version its own Key Vault numbering (Prowler cis_*_azure.json)', () => {
    const controlOf = (fid: string, rule: string) =>
      findFramework(fid)
        ?.controls.filter((c) => c.rules.includes(rule))
        .map((c) => c.id);
    expect(controlOf('cis-azure-2.0', 'KW-KV-003')).toEqual(['8.1']);
    expect(controlOf('cis-azure-3.0', 'KW-KV-003')).toEqual(['3.3.1']);
    expect(controlOf('cis-azure-4.0', 'KW-KV-003')).toEqual(['9.3.1']);
    expect(controlOf('cis-azure-6.0', 'KW-KV-003')).toEqual(['8.3.1']);
    expect(controlOf('cis-azure-2.0', 'KW-KV-013')).toEqual(['5.1.5']);
    expect(controlOf('cis-azure-2.1', 'KW-KV-014')).toEqual(['2.1.9']);
    expect(controlOf('cis-azure-5.0', 'KW-KV-011')).toEqual(['8.3.7']);
    expect(frameworks.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'soc2-2017',
        'iso27001-2022',
        'nist-800-53-r5',
        'pci-dss-4.0',
        'hipaa-security-rule',
        'azure-security-benchmark-v3',
      ]),
    );
  });
});

describe('KW-KV-005 (certificates have an expiration date)', () => {
  // Key Vault gives every certificate an expiry, so no simulated tenant can fail this rule; its check is tested here.
  const rule = builtInRules.find((r) => r.id === 'KW-KV-005');
  const check = (facts: { enabled: boolean; hasExpiry: boolean }) =>
    (rule?.check as (f: unknown, p: object) => { outcome: string } | null)(facts, {});

  it('fails an enabled certificate without an expiry, passes one with it, and skips disabled ones', () => {
    expect(check({ enabled: true, hasExpiry: false })?.outcome).toBe('failed');
    expect(check({ enabled: true, hasExpiry: true })?.outcome).toBe('passed');
    expect(check({ enabled: false, hasExpiry: false })).toBeNull();
  });
});
