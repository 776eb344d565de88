import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import {
  COMPLIANCE_RULES_TABLE,
  COMPLIANCE_STATE_TABLE,
  COMPLIANCE_VIOLATIONS_TABLE,
  createComplianceStore,
  type ComplianceStore,
  type ViolationFilter,
} from '../../shared/compliance/compliance-store';
import { ruleSeverities } from '../../shared/compliance/compliance-rule-types';
import { violationId, type StoredViolation } from '../../shared/compliance/compliance-violations';

function violation(n: number): StoredViolation {
  const key = `sub_kv~secret_s${n}`;
  const ruleId = n % 3 === 0 ? 'KW-KV-019' : 'KW-KV-001';
  return {
    id: violationId(ruleId, key),
    ruleId,
    ruleTitle: 'bench',
    severity: ruleSeverities[n % 4] ?? 'low',
    resource: { scope: 'secret', key, name: `s${n}`, vaultName: 'kv', subscriptionId: 'sub' },
    status: n % 5 === 0 ? 'waived' : 'open',
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-02T00:00:00.000Z',
    resolvedAt: null,
    evidence: { n },
    waiver: null,
  };
}

/** The violations list on Azurite: a stored first page, then keyset pages, give every match once, in id order. */
describe('violations paging', () => {
  let azurite: RunningAzurite;
  let store: ComplianceStore;
  const all = Array.from({ length: 37 }, (_, n) => violation(n));
  const table = (name: string) => async () => {
    const client = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
    await client.createTable();
    return client;
  };

  beforeAll(async () => {
    azurite = await startAzurite();
    store = createComplianceStore({
      rules: table(COMPLIANCE_RULES_TABLE),
      violations: table(COMPLIANCE_VIOLATIONS_TABLE),
      state: table(COMPLIANCE_STATE_TABLE),
    });
    await store.putViolations(all);
    await store.putFirstPages(all);
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  async function everyPage(filter: ViolationFilter, pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.queryViolations(filter, pageSize, token);
      ids.push(...page.violations.map((v) => v.id));
      token = page.continuationToken ?? undefined;
    } while (token);
    return ids;
  }
  const expected = (keep: (v: StoredViolation) => boolean): string[] =>
    all
      .filter(keep)
      .map((v) => v.id)
      .sort();

  it('lists every match once, in order, for the stored filters and for filters that query', async () => {
    expect(await everyPage({ status: 'open' }, 4)).toEqual(expected((v) => v.status === 'open'));
    expect(await everyPage({ status: 'open', severity: 'critical' }, 3)).toEqual(
      expected((v) => v.status === 'open' && v.severity === 'critical'),
    );
    expect(await everyPage({ status: 'waived' }, 2)).toEqual(expected((v) => v.status === 'waived'));
    expect(await everyPage({ status: 'open', ruleIds: ['KW-KV-019'] }, 4)).toEqual(
      expected((v) => v.status === 'open' && v.ruleId === 'KW-KV-019'),
    );
    // Rule filters are row-key ranges (ids lead with the rule): a rule with no violations, and several rules at once.
    expect(await everyPage({ status: 'open', ruleIds: ['KW-KV-002'] }, 4)).toEqual([]);
    expect(await everyPage({ status: 'open', ruleIds: ['KW-KV-019', 'KW-KV-001', 'KW-KV-002'] }, 5)).toEqual(
      expected((v) => v.status === 'open'),
    );
    expect(await everyPage({ status: 'open' }, 200)).toEqual(expected((v) => v.status === 'open'));
  });

  it('serves the first page from its stored row (a point read), and only the later pages from the table', async () => {
    const violations = await table(COMPLIANCE_VIOLATIONS_TABLE)();
    for await (const e of violations.listEntities())
      await violations.deleteEntity(e.partitionKey ?? '', e.rowKey ?? '');
    const first = await store.queryViolations({ status: 'open' }, 4);
    expect(first.violations.map((v) => v.id)).toEqual(expected((v) => v.status === 'open').slice(0, 4));
    const second = await store.queryViolations({ status: 'open' }, 4, first.continuationToken ?? undefined);
    expect(second).toEqual({ violations: [], continuationToken: null });
  });
});
