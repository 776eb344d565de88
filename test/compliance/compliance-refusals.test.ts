import type { TenantDocument } from '../../dev/azure-sim/tenant-schema';
import { fixedClock } from '../../shared/time/clock';
import { startComplianceStack, type ComplianceStack } from './compliance-stack';

interface RuleRun {
  id: string;
  lastRun: { passed: number; failed: number; waived: number; notEvaluated: number } | null;
}

/**
 * An identity that may read less than the rules need: Key Vault Reader at subscription scope (no diagnostic
 * settings, no Defender plans: ARM answers 403 AuthorizationFailed), Graph refusing the owners read (403
 * Authorization_RequestDenied), and an access policy that lists keys and certificates but may not get them (no key
 * type, size or key_ops). Everything it would have passed is there to pass: audit logs on, Defender on, an owner.
 */
const refusingTenant: TenantDocument = {
  tenantId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  displayName: 'Refusals fixture',
  caller: {
    objectId: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
    appId: '9c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
    displayName: 'keyward-identity',
  },
  subscriptions: [
    {
      subscriptionId: '2b3c4d5e-0000-4000-8000-00000000000c',
      displayName: 'Refusals',
      callerRole: 'Key Vault Reader',
      defenderForKeyVault: true,
      vaults: [
        {
          name: 'kv-ref-logged',
          resourceGroup: 'rg-ref',
          access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
          diagnostics: true,
          keys: [{ name: 'k-readable', kty: 'EC', curve: 'P-256', expiresInDays: 100 }],
        },
        {
          name: 'kv-ref-listonly',
          resourceGroup: 'rg-ref',
          access: { model: 'accessPolicy', keys: ['list'], certificates: ['list'] },
          diagnostics: true,
          keys: [{ name: 'k-listed', size: 1024, expiresInDays: 100 }],
          certificates: [{ name: 'c-listed', expiresInDays: 100, key: { kty: 'RSA', size: 1024 } }],
        },
      ],
    },
  ],
  applications: [
    {
      displayName: 'ref-app-owned',
      owners: [{ displayName: 'Ada', userPrincipalName: 'ada@example.com' }],
      passwordCredentials: [{ displayName: 'ci', startInDays: -30, endInDays: 200 }],
    },
  ],
};

describe('reads Azure refuses give "not evaluated", never "passed" (scan → evaluation → API)', () => {
  let s: ComplianceStack;
  beforeAll(async () => {
    s = await startComplianceStack({
      tenant: refusingTenant,
      clock: fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000)),
      knobs: { refuseApplicationOwners: true },
    });
    await s.scanAndEvaluate();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('diagnostic settings, Defender plans and app owners the identity may not read', async () => {
    const { rules } = await s.get<{ rules: RuleRun[] }>('/api/compliance/rules');
    const run = (id: string) => rules.find((r) => r.id === id)?.lastRun;
    // KW-KV-013 audit logs (both vaults), KW-KV-014 Defender (the subscription), KW-APP-005 owners (the app).
    expect(run('KW-KV-013')).toMatchObject({ passed: 0, failed: 0, notEvaluated: 2 });
    expect(run('KW-KV-014')).toMatchObject({ passed: 0, failed: 0, notEvaluated: 1 });
    expect(run('KW-APP-005')).toMatchObject({ passed: 0, failed: 0, notEvaluated: 1 });
    // The same scan read what it was allowed to: the vaults' ARM settings were judged.
    expect(run('KW-KV-008')).toMatchObject({ passed: 2, failed: 0, notEvaluated: 0 });
    const violations = await s.get<{ violations: { ruleId: string }[] }>('/api/compliance/violations?pageSize=200');
    const ruled = new Set(violations.violations.map((v) => v.ruleId));
    for (const id of ['KW-KV-013', 'KW-KV-014', 'KW-APP-005'])
      expect({ id, violated: ruled.has(id) }).toEqual({ id, violated: false });
  });

  it('keys and certificates that list but cannot be read: key strength and key_ops are not evaluated', async () => {
    const { rules } = await s.get<{ rules: RuleRun[] }>('/api/compliance/rules');
    const run = (id: string) => rules.find((r) => r.id === id)?.lastRun;
    // k-readable (EC P-256, signing only) passes both; k-listed and c-listed (1024-bit RSA, unreadable) are unknown.
    expect(run('KW-KV-016')).toMatchObject({ passed: 1, failed: 0, notEvaluated: 2 });
    expect(run('KW-KV-020')).toMatchObject({ passed: 1, failed: 0, notEvaluated: 1 });
  });
});
