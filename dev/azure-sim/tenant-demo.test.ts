import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { fixedClock } from '../../shared/time/clock';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';
import { loadTenant } from './tenant-load';
import { materializeTenant } from './tenant-state';

/** Severity thresholds of the brief: warning ≤ 30 days, severe ≤ 14, critical ≤ 7, expired ≤ 0. */
function severity(expires: Date | undefined, now: Date): string {
  if (!expires) return 'no-expiry';
  const days = (expires.getTime() - now.getTime()) / 86_400_000;
  if (days <= 0) return 'expired';
  if (days <= 7) return 'critical';
  if (days <= 14) return 'severe';
  if (days <= 30) return 'warning';
  return 'ok';
}
const ALL_SEVERITIES = ['expired', 'critical', 'severe', 'warning', 'ok', 'no-expiry'];

const NOW = new Date('2027-06-15T12:00:00Z');
// Child processes and Retry-After waits take seconds on a busy machine; this bounds a hang, not speed.
jest.setTimeout(60_000);
let sim: RunningAzureSim;
let restoreEnv: () => void;
const credential = new ManagedIdentityCredential();

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo', clock: fixedClock(NOW) });
  restoreEnv = useSimIdentityEnv(sim);
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

test('the demo tenant, scanned through the real clients, shows every severity, item state and access outcome', async () => {
  const outcomes = new Set<string>();
  const severities: Record<string, Set<string>> = { secrets: new Set(), certificates: new Set(), keys: new Set() };
  let disabled = 0;
  let managed = 0;
  let items = 0;
  let vaults = 0;
  const subs = new SubscriptionClient(credential, simArmOptions(sim));
  for await (const sub of subs.subscriptions.list()) {
    const arm = new KeyVaultManagementClient(credential, sub.subscriptionId ?? '', simArmOptions(sim));
    for await (const vault of arm.vaults.listBySubscription()) {
      vaults += 1;
      const uri = vault.properties.vaultUri ?? '';
      const options = simKeyVaultOptions(sim, 0);
      try {
        for await (const s of new SecretClient(uri, credential, options).listPropertiesOfSecrets()) {
          items += 1;
          severities.secrets?.add(severity(s.expiresOn, NOW));
          if (s.enabled === false) disabled += 1;
          if (s.managed) managed += 1;
        }
        for await (const c of new CertificateClient(uri, credential, options).listPropertiesOfCertificates()) {
          items += 1;
          severities.certificates?.add(severity(c.expiresOn, NOW));
        }
        for await (const k of new KeyClient(uri, credential, options).listPropertiesOfKeys()) {
          items += 1;
          severities.keys?.add(severity(k.expiresOn, NOW));
        }
        outcomes.add(vault.properties.enableRbacAuthorization ? 'rbac-ok' : 'access-policy-ok');
      } catch (error) {
        const e = error as { statusCode?: number };
        expect(e.statusCode).toBe(403);
        outcomes.add(
          vault.properties.networkAcls?.defaultAction === 'Deny'
            ? 'firewalled'
            : `${vault.properties.enableRbacAuthorization ? 'rbac' : 'access-policy'}-denied`,
        );
      }
    }
  }
  expect(vaults).toBe(12);
  expect([...outcomes].sort()).toEqual([
    'access-policy-denied',
    'access-policy-ok',
    'firewalled',
    'rbac-denied',
    'rbac-ok',
  ]);
  expect([...(severities.secrets ?? [])].sort()).toEqual([...ALL_SEVERITIES].sort());
  for (const kind of ['certificates', 'keys']) {
    for (const s of ['expired', 'critical', 'severe', 'warning', 'ok']) expect(severities[kind]).toContain(s);
  }
  expect(disabled).toBeGreaterThan(0);
  expect(managed).toBeGreaterThan(0);
  // Readable vaults alone hold most of the ~150 items; the denied and firewalled ones hold the rest.
  expect(items).toBeGreaterThan(90);
});

test('demo app registrations cover expired, expiring (every tier) and far-future credentials', () => {
  const state = materializeTenant(loadTenant('demo'), NOW);
  expect(state.applications).toHaveLength(10);
  const tiers = new Set(
    state.applications.flatMap((a) =>
      [...a.passwordCredentials, ...a.keyCredentials].map((c) => {
        const s = severity(new Date(c.endDateTime), NOW);
        return s === 'ok' && Date.parse(c.endDateTime) - NOW.getTime() > 365 * 86_400_000 ? 'far-future' : s;
      }),
    ),
  );
  for (const t of ['expired', 'critical', 'severe', 'warning', 'far-future']) expect(tiers).toContain(t);
  expect(state.applications.some((a) => a.owners.length === 0)).toBe(true);
  const total = state.vaults.reduce(
    (n, v) => n + v.items.secrets.size + v.items.certificates.size + v.items.keys.size,
    0,
  );
  expect(total).toBeGreaterThanOrEqual(140);
});
