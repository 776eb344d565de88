import { apiRoutes } from '../../shared/http/api-routes';
import { accessRule, roleRank, routeAccessTable } from './route-access-table';

/** The roles a minimum role admits, by the oracle's ranks. */
const rolesFrom = (min: keyof typeof roleRank): string[] =>
  (Object.keys(roleRank) as (keyof typeof roleRank)[]).filter((r) => roleRank[r] >= roleRank[min]);

/**
 * What a route declares, said the way the oracle table says it; the pipeline enforces the declaration, the matrix
 * expects the table, so any difference is named here route by route.
 */
function disagreement(route: (typeof apiRoutes)[number]): string | null {
  const key = `${route.method} ${route.path}`;
  const rule = accessRule(route.method, route.path);
  if (!rule) return `${key} (${route.operationId}) is declared but has no row in test/api/route-access-table.ts`;
  const problems: string[] = [];
  const declared = typeof route.access === 'string' ? route.access : [...route.access].sort().join(',');
  const expected =
    rule.minRole === 'anonymous' || rule.minRole === 'authenticated'
      ? rule.minRole
      : rolesFrom(rule.minRole).sort().join(',');
  if (declared !== expected) problems.push(`access: declared ${declared}, table says ${rule.minRole} (${expected})`);
  if (route.minTier !== rule.minTier) problems.push(`tier: declared ${route.minTier}, table says ${rule.minTier}`);
  if ((route.trialExempt ?? false) !== rule.trialExempt) {
    problems.push(
      `trial-exempt: declared ${String(route.trialExempt ?? false)}, table says ${String(rule.trialExempt)}`,
    );
  }
  return problems.length ? `${key} (${route.operationId}) disagrees with its row: ${problems.join('; ')}` : null;
}

describe('the route access oracle', () => {
  it('has a row for every declared route, and every declaration agrees with its row', () => {
    const problems = apiRoutes.map(disagreement).filter((p): p is string => p !== null);
    expect(problems).toEqual([]);
  });

  it('has no row for a route that is not declared, and one row per route', () => {
    const declared = new Set(apiRoutes.map((r) => `${r.method} ${r.path}`));
    const stale = routeAccessTable.filter(([route]) => !declared.has(route)).map(([route]) => route);
    expect(stale.map((r) => `${r} has a row in test/api/route-access-table.ts but no declared route`)).toEqual([]);
    const keys = routeAccessTable.map(([route]) => route);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
