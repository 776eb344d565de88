import {
  afterOf,
  afterToken,
  FIRST_PAGE_SIZE,
  firstPages,
  fromPageEntity,
  toPageEntity,
  unresolvedAfter,
} from './compliance-first-pages';
import { ruleSeverities } from './compliance-rule-types';
import { violationId, type StoredViolation } from './compliance-violations';

function violation(n: number, status: StoredViolation['status'], evidence = 'x'): StoredViolation {
  const key = `sub_kv~secret_s${n}`;
  return {
    id: violationId('KW-KV-001', key),
    ruleId: 'KW-KV-001',
    ruleTitle: 'Secrets in RBAC vaults have an expiration date',
    severity: ruleSeverities[n % 4] ?? 'low',
    resource: { scope: 'secret', key, name: `s${n}`, vaultName: 'kv', subscriptionId: 'sub' },
    status,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-02T00:00:00.000Z',
    resolvedAt: status === 'resolved' ? '2026-01-02T00:00:00.000Z' : null,
    evidence: { note: evidence },
    waiver: null,
  };
}

describe('first pages of the violations list', () => {
  it('hold the first matches of each status and severity in id order, and say whether more match', () => {
    const all = Array.from({ length: FIRST_PAGE_SIZE * 2 + 10 }, (_, n) =>
      violation(n, n % 5 === 0 ? 'waived' : 'open'),
    );
    const pages = firstPages(all);
    expect(pages).toHaveLength(10);
    const open = pages.find((p) => p.status === 'open' && p.severity === null);
    const expected = all
      .filter((v) => v.status === 'open')
      .map((v) => v.id)
      .sort();
    expect(open?.violations.map((v) => v.id)).toEqual(expected.slice(0, FIRST_PAGE_SIZE));
    expect(open?.more).toBe(true);
    const critical = pages.find((p) => p.status === 'waived' && p.severity === 'critical');
    expect(critical?.violations.every((v) => v.status === 'waived' && v.severity === 'critical')).toBe(true);
    expect(critical?.more).toBe(false);
  });

  it('apply an evaluation’s changes: resolved ones leave, changed ones replace, new ones join', () => {
    const a = violation(1, 'open');
    const b = violation(2, 'open');
    const c = violation(3, 'open');
    const after = unresolvedAfter(
      new Map([
        [a.id, a],
        [b.id, b],
      ]),
      [{ ...a, status: 'resolved' }, { ...b, status: 'waived' }, c],
    );
    expect(after.map((v) => `${v.id}:${v.status}`).sort()).toEqual([`${b.id}:waived`, `${c.id}:open`].sort());
  });

  it('survive the row round trip when a page is larger than one string property', () => {
    const page = {
      status: 'open' as const,
      severity: null,
      violations: [violation(1, 'open', 'e'.repeat(70_000))],
      more: true,
    };
    const entity = toPageEntity(page);
    expect(entity.chunks).toBe(3);
    expect(Object.values(entity).every((v) => typeof v !== 'string' || v.length <= 30_000)).toBe(true);
    expect(fromPageEntity(entity)).toEqual({ violations: page.violations, more: true });
  });

  it('continue after a row key with their own token, and leave the SDK’s tokens alone', () => {
    expect(afterOf(afterToken('abc_def'))).toBe('abc_def');
    expect(afterOf('eyJuZXh0UGFydGl0aW9uS2V5Ijoib3BlbiJ9')).toBeNull();
  });
});
