import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTenant, type Tenant, type VaultSpec } from '../../dev/azure-sim/tenant-schema';

/**
 * What a scan of a tenant document must find, worked out from the document alone with Key Vault's documented
 * rules (role data actions, access-policy "list", the firewall, the ARM secrets list as the firewall fallback,
 * certificates backed by a managed secret and key). Independent of the scan's own code.
 */
const DAY = 86_400_000;
const ALL = ['secrets', 'certificates', 'keys'] as const;
type Kind = (typeof ALL)[number];
const ROLE_KINDS: Record<string, readonly Kind[]> = {
  'Key Vault Administrator': ALL,
  'Key Vault Reader': ALL,
  'Key Vault Secrets User': ['secrets'],
  'Key Vault Secrets Officer': ['secrets'],
  'Key Vault Certificates Officer': ['certificates', 'secrets'],
  'Key Vault Crypto User': ['keys'],
};

/**
 * The severity oracle, written from the product brief and not with the app's `classify`: whole days to expiry
 * rounded down; expired once `exp ≤ now`; then critical ≤ 7 days, severe ≤ 14, warning ≤ 30 (the default
 * thresholds), healthy beyond; no expiry is its own class.
 */
export function expectedSeverity(exp: Date | null, now: Date): string {
  if (exp === null) return 'noExpiry';
  const ms = exp.getTime() - now.getTime();
  if (ms <= 0) return 'expired';
  const days = Math.floor(ms / DAY);
  if (days <= 7) return 'critical';
  if (days <= 14) return 'severe';
  if (days <= 30) return 'warning';
  return 'healthy';
}

export function loadDemoTenant(): Tenant {
  return parseTenant(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'dev', 'azure-sim', 'tenants', 'demo.json'), 'utf8')),
  );
}

function listable(v: VaultSpec): Set<Kind> {
  if (v.access.model === 'rbac') return new Set(v.access.callerRoles.flatMap((r) => ROLE_KINDS[r] ?? []));
  const access = v.access;
  return new Set(ALL.filter((k) => access[k].some((p) => p.toLowerCase() === 'list' || p.toLowerCase() === 'all')));
}

export interface Expected {
  outcomes: Record<string, string>;
  outcomeCounts: Record<string, number>;
  bySeverity: Record<string, number>;
  items: number;
}

export function expectedScan(tenant: Tenant, t0: Date, now: Date): Expected {
  const t0s = Math.floor(t0.getTime() / 1000) * 1000;
  const exp = (days: number | null): Date | null =>
    days === null ? null : new Date(t0s + Math.round(days * 86_400) * 1000);
  const outcomes: Record<string, string> = {};
  const bySeverity: Record<string, number> = {
    healthy: 0,
    warning: 0,
    severe: 0,
    critical: 0,
    expired: 0,
    noExpiry: 0,
  };
  let items = 0;
  const count = (enabled: boolean, days: number | null): void => {
    items += 1;
    const severity = expectedSeverity(exp(days), now);
    if (enabled) bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
  };
  for (const sub of tenant.subscriptions) {
    for (const v of sub.vaults) {
      if (v.firewalled) {
        outcomes[v.name] = 'firewalled';
        for (const s of v.secrets) count(s.enabled, s.expiresInDays);
        for (const c of v.certificates) count(c.enabled, c.expiresInDays);
        continue;
      }
      const kinds = listable(v);
      outcomes[v.name] = kinds.size === 3 ? 'ok' : 'forbidden';
      if (kinds.has('secrets')) for (const s of v.secrets) count(s.enabled, s.expiresInDays);
      if (kinds.size > 0 && (kinds.has('certificates') || kinds.has('secrets') || kinds.has('keys'))) {
        for (const c of v.certificates) count(c.enabled, c.expiresInDays);
      }
      if (kinds.has('keys')) for (const k of v.keys) count(k.enabled, k.expiresInDays);
    }
  }
  for (const app of tenant.applications) {
    for (const c of [...app.passwordCredentials, ...app.keyCredentials]) {
      items += 1;
      const s = expectedSeverity(new Date(t0.getTime() + c.endInDays * DAY), now);
      bySeverity[s] = (bySeverity[s] ?? 0) + 1;
    }
  }
  const outcomeCounts: Record<string, number> = { ok: 1, forbidden: 0, firewalled: 0, throttled: 0, failed: 0 };
  for (const o of Object.values(outcomes)) outcomeCounts[o] = (outcomeCounts[o] ?? 0) + 1;
  return { outcomes, outcomeCounts, bySeverity, items };
}

/** Data-plane or ARM requests that read a secret's value (GET /secrets/{name}[/{version}]). */
export function secretValueReads(log: readonly { method: string; path: string }[]): string[] {
  return log
    .filter(
      (r) =>
        r.method === 'GET' && /\/secrets\/[^/?]+(\/[^/?]+)?(\?|$)/i.test(r.path) && !/\/versions(\?|$)/i.test(r.path),
    )
    .map((r) => r.path);
}
