import type { TenantDocument } from '../../dev/azure-sim/azure-sim';
import { startScanStack, type ScanStack } from './scan-stack';

const HOME = '4c5d6e7f-8091-42a3-b4c5-d6e7f8091a2b';
const CUSTOMER = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const DELEGATED = '11111111-2222-4333-8444-555555555555';
const OWN = '22222222-3333-4444-8555-666666666666';
const WARNED = '33333333-4444-4555-8666-777777777777';
const DISABLED = '44444444-5555-4666-8777-888888888888';
const reader = { model: 'rbac' as const, callerRoles: ['Key Vault Reader'] };
const vault = (name: string) => ({
  name,
  resourceGroup: 'rg',
  access: reader,
  secrets: [{ name: `${name}-secret`, expiresInDays: 100 }],
});

/**
 * The subscriptions list as a managing tenant sees it: a customer's subscription delegated through Azure Lighthouse
 * listed first (with the customer's tenantId, as in the spec's GetSubscriptions example), the identity's own
 * subscriptions, one Warned and one Disabled.
 */
const tenant: TenantDocument = {
  tenantId: HOME,
  displayName: 'Managing tenant',
  caller: {
    objectId: '5f6a7b8c-9d0e-41f2-83a4-b5c6d7e8f9a0',
    appId: '0a9b8c7d-6e5f-44a3-92b1-c0d9e8f7a6b5',
    displayName: 'keyward',
  },
  subscriptions: [
    { subscriptionId: DELEGATED, displayName: 'Customer (delegated)', tenantId: CUSTOMER, vaults: [vault('kv-cust')] },
    { subscriptionId: OWN, displayName: 'Own', vaults: [vault('kv-own')] },
    { subscriptionId: WARNED, displayName: 'Warned', state: 'Warned', vaults: [vault('kv-warned')] },
    { subscriptionId: DISABLED, displayName: 'Disabled', state: 'Disabled', vaults: [vault('kv-disabled')] },
  ],
  applications: [{ displayName: 'home-app', passwordCredentials: [{ displayName: 'pw', endInDays: 20 }] }],
};

describe('a scan over subscriptions of several tenants and states', () => {
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({ tenant });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("scans the directory of the identity's own tenant and reports a disabled subscription without scanning it", async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    const scan = await s.waitForScan(trigger.body.scanId);
    // The directory unit is the home tenant's, although the first listed subscription is the customer's.
    const directory = scan.units.filter((u) => u.unitKey.startsWith('entra_'));
    expect(directory.map((u) => u.unitKey)).toEqual([expect.stringContaining(HOME)]);
    expect(scan.units.some((u) => u.unitKey.includes(CUSTOMER))).toBe(false);
    expect(directory[0]?.outcome).toBe('ok');
    // Vaults of the enabled, warned and delegated subscriptions are scanned; the disabled one's are not.
    expect(
      scan.units
        .filter((u) => u.vaultName)
        .map((u) => u.vaultName)
        .sort(),
    ).toEqual(['kv-cust', 'kv-own', 'kv-warned']);
    expect(s.sim.requestLog().filter((r) => r.subscriptionId === DISABLED.toLowerCase())).toEqual([]);

    const { subscriptions } = await s.get<{
      subscriptions: { subscriptionId: string; tenantId: string; state: string }[];
    }>('/api/subscriptions');
    const byId = Object.fromEntries(subscriptions.map((x) => [x.subscriptionId, x]));
    expect(byId[DELEGATED]).toMatchObject({ tenantId: CUSTOMER, state: 'Enabled' });
    expect(byId[OWN]).toMatchObject({ tenantId: HOME, state: 'Enabled' });
    expect(byId[WARNED]).toMatchObject({ state: 'Warned' });
    expect(byId[DISABLED]).toMatchObject({ tenantId: HOME, state: 'Disabled' });
  });
});
