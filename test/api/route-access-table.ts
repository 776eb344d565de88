/**
 * The authorization oracle: who may call each route, written down as reviewed data and NOT read from the route
 * table the request pipeline enforces (`shared/http/api-routes.ts`). The matrix test computes every expected status
 * from these rows, and `route-access-table.test.ts` fails for any route whose declaration disagrees with its row, any
 * declared route without a row and any row without a route — each failure names the route.
 *
 * Columns: `METHOD path` → minimum role → minimum tier → trial-exempt (still answers after the trial expires).
 * Minimum role: `anonymous` (no identity needed), `authenticated` (signed in, any or no role), or the lowest of
 * reader < operator < admin that may call it (every higher role may too).
 *
 * Reviewed 2026-12-06 against the product brief: reads are reader+, actions that start work (scans, tests,
 * snoozes) operator+, configuration, users, keys and dead-letter replays admin; health, licence, identity of the
 * caller and the exports stay reachable after the trial so a customer can leave with their data.
 * Compliance, rotation and sync (reviewed 2026-12-06 against issues 20–22): reads reader+; rule, record, config and
 * waiver changes, the evidence package, rotation discovery (it may read secret values to match fingerprints) and
 * adopting a sync conflict admin; "rotate now", "sync now", a sync dry run and a connection test operator+.
 */
export type MinimumRole = 'anonymous' | 'authenticated' | 'reader' | 'operator' | 'admin';
export type OracleTier = 'trial' | 'professional' | 'enterprise';
export type AccessRow = readonly [route: string, minRole: MinimumRole, minTier: OracleTier, trialExempt: boolean];

export const routeAccessTable: readonly AccessRow[] = [
  ['GET /openapi.json', 'anonymous', 'trial', false],
  ['GET /docs', 'anonymous', 'trial', false],
  ['GET /docs/assets/{file}', 'anonymous', 'trial', false],
  ['GET /redoc', 'anonymous', 'trial', false],
  ['GET /redoc/assets/{file}', 'anonymous', 'trial', false],
  ['GET /api/health', 'anonymous', 'trial', true],
  ['GET /health', 'anonymous', 'trial', true],
  ['GET /api/system/version', 'authenticated', 'trial', false],
  ['GET /api/license', 'authenticated', 'trial', true],
  ['GET /api/system/license', 'authenticated', 'trial', true],
  ['GET /api/me', 'authenticated', 'trial', true],
  ['GET /api/auth/me', 'authenticated', 'trial', true],
  ['GET /api/identity', 'reader', 'trial', false],
  ['POST /api/keys', 'admin', 'trial', false],
  ['GET /api/keys', 'admin', 'trial', false],
  ['DELETE /api/keys/{id}', 'admin', 'trial', false],
  ['GET /api/users', 'admin', 'trial', false],
  ['PUT /api/users/{id}', 'admin', 'trial', false],
  ['DELETE /api/users/{id}', 'admin', 'trial', false],
  ['POST /api/trigger', 'operator', 'trial', false],
  ['GET /api/stats', 'reader', 'trial', false],
  ['GET /api/scans', 'reader', 'trial', false],
  ['GET /api/expiring-items', 'reader', 'trial', false],
  ['GET /api/subscriptions', 'reader', 'trial', false],
  ['GET /api/permission-status', 'reader', 'trial', false],
  ['POST /api/assets/discovery/scan', 'operator', 'trial', false],
  ['GET /api/assets/discovery/scans', 'reader', 'trial', false],
  ['GET /api/assets/discovery/scans/{id}', 'reader', 'trial', false],
  ['GET /api/assets/discovery/assets', 'reader', 'trial', false],
  ['GET /api/assets/discovery/assets/{id}', 'reader', 'trial', false],
  ['GET /api/assets/discovery/vaults', 'reader', 'trial', false],
  ['GET /{*path}', 'anonymous', 'trial', true],
  ['GET /api/audit', 'reader', 'trial', false],
  ['GET /api/audit/stats', 'reader', 'trial', false],
  ['GET /api/audit/export', 'admin', 'trial', true],
  // Auditors verify exports with the public key alone, also after the trial (as the export itself).
  ['GET /api/audit/public-key', 'reader', 'trial', true],
  ['GET /api/thresholds', 'reader', 'trial', false],
  ['POST /api/thresholds', 'admin', 'trial', false],
  ['GET /api/settings', 'reader', 'trial', false],
  ['POST /api/settings', 'admin', 'trial', false],
  ['GET /api/reminder-mode', 'reader', 'trial', false],
  ['POST /api/reminder-mode', 'admin', 'trial', false],
  ['GET /api/routes', 'reader', 'trial', false],
  ['POST /api/routes', 'admin', 'trial', false],
  ['DELETE /api/routes/{id}', 'admin', 'trial', false],
  ['GET /api/smtp-config', 'reader', 'trial', false],
  ['POST /api/smtp-config', 'admin', 'trial', false],
  ['POST /api/smtp/test', 'operator', 'trial', false],
  ['GET /api/webhook-config', 'reader', 'trial', false],
  ['POST /api/webhook-config', 'admin', 'trial', false],
  ['POST /api/webhook-config/test', 'operator', 'trial', false],
  ['POST /api/test-notification', 'operator', 'trial', false],
  ['GET /api/alerts/rules', 'reader', 'trial', false],
  ['POST /api/alerts/rules', 'admin', 'trial', false],
  ['PATCH /api/alerts/rules/{id}', 'admin', 'trial', false],
  ['DELETE /api/alerts/rules/{id}', 'admin', 'trial', false],
  ['POST /api/alerts/rules/{id}/test', 'operator', 'trial', false],
  ['GET /api/alerts/history', 'reader', 'trial', false],
  ['GET /api/settings/effective', 'reader', 'trial', false],
  ['PUT /api/settings/{category}/{key}', 'admin', 'trial', false],
  ['DELETE /api/settings/{category}/{key}', 'admin', 'trial', false],
  ['POST /api/expiring-items/{id}/snooze', 'operator', 'trial', false],
  ['DELETE /api/expiring-items/{id}/snooze', 'operator', 'trial', false],
  ['GET /api/export', 'operator', 'trial', true],
  ['POST /api/import', 'admin', 'trial', false],
  ['GET /api/system/dead-letters', 'admin', 'trial', false],
  ['POST /api/system/dead-letters/{queue}/replay', 'admin', 'trial', false],
  ['GET /api/compliance/score', 'reader', 'trial', false],
  ['GET /api/compliance/violations', 'reader', 'trial', false],
  ['POST /api/compliance/violations/{id}/waive', 'admin', 'trial', false],
  ['GET /api/compliance/frameworks', 'reader', 'trial', false],
  ['GET /api/compliance/frameworks/{id}', 'reader', 'trial', false],
  ['GET /api/compliance/rules', 'reader', 'trial', false],
  ['POST /api/compliance/rules', 'admin', 'trial', false],
  ['POST /api/compliance/rules/test', 'admin', 'trial', false],
  ['PUT /api/compliance/rules/{id}', 'admin', 'trial', false],
  ['DELETE /api/compliance/rules/{id}', 'admin', 'trial', false],
  ['GET /api/compliance/evidence-package', 'admin', 'trial', false],
  ['POST /api/automation/rotation/discover', 'admin', 'trial', false],
  ['GET /api/automation/rotation/inventory', 'reader', 'trial', false],
  ['GET /api/automation/rotation/records', 'reader', 'trial', false],
  ['POST /api/automation/rotation/records', 'admin', 'trial', false],
  ['PUT /api/automation/rotation/records/{id}', 'admin', 'trial', false],
  ['POST /api/automation/rotation/records/{id}/rotate', 'operator', 'trial', false],
  ['GET /api/automation/history', 'reader', 'trial', false],
  ['GET /api/automation/sync/configs', 'reader', 'trial', false],
  ['POST /api/automation/sync/configs', 'admin', 'trial', false],
  ['PUT /api/automation/sync/configs/{id}', 'admin', 'trial', false],
  ['DELETE /api/automation/sync/configs/{id}', 'admin', 'trial', false],
  ['POST /api/automation/sync/configs/{id}/dry-run', 'operator', 'trial', false],
  ['POST /api/automation/sync/configs/{id}/test', 'operator', 'trial', false],
  ['POST /api/automation/sync/configs/{id}/sync', 'operator', 'trial', false],
  ['GET /api/automation/sync/records', 'reader', 'trial', false],
  ['POST /api/automation/sync/records/{id}/sync', 'operator', 'trial', false],
  ['POST /api/automation/sync/records/{id}/resolve', 'admin', 'trial', false],
  ['GET /api/automation/sync/history', 'reader', 'trial', false],
];

/** Role ranks as the brief defines them (a higher role holds every permission of a lower one). */
export const roleRank = { reader: 1, operator: 2, admin: 3 } as const;
/** Tier ranks as the brief defines them. */
export const tierRank: Record<OracleTier, number> = { trial: 0, professional: 1, enterprise: 2 };

export interface AccessRule {
  readonly minRole: MinimumRole;
  readonly minTier: OracleTier;
  readonly trialExempt: boolean;
}

/** The row of `METHOD path`, or undefined when the table has none. */
export function accessRule(method: string, path: string): AccessRule | undefined {
  const row = routeAccessTable.find(([route]) => route === `${method} ${path}`);
  return row ? { minRole: row[1], minTier: row[2], trialExempt: row[3] } : undefined;
}
