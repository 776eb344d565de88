import type { RuleResult } from './compliance-engine';
import { reconcileViolations, violationId, type StoredViolation } from './compliance-violations';

const ref = { scope: 'secret' as const, key: 'sub_kv~secret_db', name: 'db', vaultName: 'kv', subscriptionId: 'sub' };
const failed: RuleResult = {
  ruleId: 'KW-KV-006',
  severity: 'critical',
  ref,
  outcome: 'failed',
  evidence: { daysToExpiry: -3 },
};
const unknown: RuleResult = { ...failed, outcome: 'notEvaluated', evidence: {} };
const active = new Set(['KW-KV-006']);
const titles = new Map([['KW-KV-006', 'No enabled secret has expired']]);

/** One evaluation after a scan: the store is a map carried from day to day (what the evaluator persists). */
function day(store: Map<string, StoredViolation>, at: string, results: RuleResult[], activeRuleIds = active) {
  const { upserts, alerts } = reconcileViolations({ previous: store, results, activeRuleIds, titles, at });
  for (const v of upserts) store.set(v.id, v);
  return alerts.map((a) => `${a.kind}:${a.dedupKey}`);
}

describe('violation lifecycle', () => {
  it('a new critical violation alerts once; later scans that still fail refresh it without alerting', () => {
    const store = new Map<string, StoredViolation>();
    const first = day(store, '2026-01-01T00:00:00Z', [failed]);
    expect(first).toEqual([`opened:compliance:${violationId('KW-KV-006', ref.key)}:opened:2026-01-01T00:00:00Z`]);
    // A redelivered evaluation of the same scan plans the same alert key (the topic and delivery store drop it).
    const again = reconcileViolations({
      previous: new Map(),
      results: [failed],
      activeRuleIds: active,
      titles,
      at: '2026-01-01T00:00:00Z',
    });
    expect(again.alerts.map((a) => a.dedupKey)).toEqual([first[0]?.slice('opened:'.length)]);
    expect(day(store, '2026-01-02T00:00:00Z', [failed])).toEqual([]);
    const v = store.get(violationId('KW-KV-006', ref.key));
    expect(v).toMatchObject({ status: 'open', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-02T00:00:00Z' });
  });

  it('a waiver silences it until it expires; then it reopens and alerts again', () => {
    const store = new Map<string, StoredViolation>();
    day(store, '2026-01-01T00:00:00Z', [failed]);
    const id = violationId('KW-KV-006', ref.key);
    const open = store.get(id);
    if (!open) throw new Error('no violation');
    const waiver = {
      reason: 'decommissioning',
      expiresAt: '2026-01-10T00:00:00Z',
      waivedBy: 'user:1',
      waivedAt: '2026-01-01T01:00:00Z',
    };
    store.set(id, { ...open, status: 'waived', waiver });
    expect(day(store, '2026-01-05T00:00:00Z', [failed])).toEqual([]);
    expect(store.get(id)?.status).toBe('waived');
    expect(day(store, '2026-01-11T00:00:00Z', [failed])).toEqual([
      `opened:compliance:${id}:reopened:2026-01-10T00:00:00Z`,
    ]);
    expect(store.get(id)).toMatchObject({ status: 'open', waiver: null });
    expect(day(store, '2026-01-12T00:00:00Z', [failed])).toEqual([]);
  });

  it('a resolved violation alerts as resolved; unknown (not evaluated, unreadable vault) never resolves', () => {
    const store = new Map<string, StoredViolation>();
    day(store, '2026-01-01T00:00:00Z', [failed]);
    const id = violationId('KW-KV-006', ref.key);
    expect(day(store, '2026-01-02T00:00:00Z', [unknown])).toEqual([]);
    const vaultUnknown: RuleResult = { ...unknown, ref: { ...ref, scope: 'vault', key: 'sub_kv' } };
    expect(day(store, '2026-01-03T00:00:00Z', [vaultUnknown])).toEqual([]);
    expect(store.get(id)?.status).toBe('open');
    expect(day(store, '2026-01-04T00:00:00Z', [])).toEqual([`resolved:compliance:${id}:resolved:2026-01-01T00:00:00Z`]);
    expect(store.get(id)).toMatchObject({ status: 'resolved', resolvedAt: '2026-01-04T00:00:00Z' });
    expect(day(store, '2026-01-05T00:00:00Z', [])).toEqual([]);
  });

  it('medium and low violations are tracked but do not alert; a disabled rule closes its violations silently', () => {
    const store = new Map<string, StoredViolation>();
    const medium: RuleResult = { ...failed, ruleId: 'KW-KV-001', severity: 'medium' };
    expect(day(store, '2026-01-01T00:00:00Z', [medium], new Set(['KW-KV-001']))).toEqual([]);
    expect(store.get(violationId('KW-KV-001', ref.key))?.status).toBe('open');
    day(store, '2026-01-01T00:00:00Z', [failed]);
    expect(day(store, '2026-01-02T00:00:00Z', [], new Set())).toEqual([]);
    expect([...store.values()].map((v) => v.status)).toEqual(['resolved', 'resolved']);
  });
});
