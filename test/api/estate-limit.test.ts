import type { TenantDocument } from '../../dev/azure-sim/azure-sim';
import { tierLimits } from '../../shared/license/license-tiers';
import { startScanStack, type ScanStack } from '../scan/scan-stack';

/**
 * Issue 18, item 6: the trial's subscription limit applies to the estate. A scan filtered to subscriptions the
 * licence never included must not admit them once the limit is used: otherwise a trial covers any estate, 15
 * subscriptions per filtered scan.
 */
const LIMIT = tierLimits.trial.subscriptionLimit ?? 0;
const hex = (n: number) => n.toString(16).padStart(12, '0');
const subscriptionIds = Array.from({ length: LIMIT + 2 }, (_, i) => `7c1d2e3f-4a5b-4c6d-8e7f-${hex(i)}`);
const tenant: TenantDocument = {
  tenantId: '1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b',
  displayName: 'Estate over the limit',
  caller: {
    objectId: '2c3d4e5f-6071-4829-ab1c-2d3e4f5a6b7c',
    appId: '3d4e5f60-7182-493a-bc2d-3e4f5a6b7c8d',
    displayName: 'kw',
  },
  subscriptions: subscriptionIds.map((subscriptionId, i) => ({
    subscriptionId,
    displayName: `sub-${i}`,
    vaults: [
      {
        name: `kv-estate-${i}`,
        resourceGroup: 'rg',
        access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
        secrets: [{ name: 's', expiresInDays: 10 }],
      },
    ],
  })),
};

interface ScanSummary {
  subscriptionsScanned: number;
  subscriptionsSkipped: { subscriptionId: string }[];
}

describe('the subscription limit across scans', () => {
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({ tenant }, { KEYWARD_TIER: 'trial' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const scan = async (subscriptions?: string[]): Promise<ScanSummary> => {
    const trigger = await s.post<{ scanId: string }>('/api/assets/discovery/scan', { mode: 'full', subscriptions });
    return (await s.waitForScan(trigger.body.scanId)) as unknown as ScanSummary;
  };

  it('counts every subscription ever included, so filtered scans cannot cover the estate piecemeal', async () => {
    const [firstTwo, rest] = [subscriptionIds.slice(0, 2), subscriptionIds.slice(2)];
    // A filtered scan uses 2 of the licence's subscriptions.
    expect(await scan(firstTwo)).toMatchObject({ subscriptionsScanned: 2, subscriptionsSkipped: [] });
    // The next filtered scan gets only what is left of the limit, by id.
    const second = await scan(rest);
    expect(second.subscriptionsScanned).toBe(LIMIT - 2);
    expect(second.subscriptionsSkipped.map((x) => x.subscriptionId)).toEqual(rest.slice(LIMIT - 2));
    // Subscriptions the licence already covers stay covered; the ones over the limit stay out, filtered or not.
    const again = await scan(subscriptionIds.slice(LIMIT - 1));
    expect(again.subscriptionsScanned).toBe(1);
    expect(again.subscriptionsSkipped.map((x) => x.subscriptionId)).toEqual(subscriptionIds.slice(LIMIT));
    const full = await scan();
    expect(full.subscriptionsScanned).toBe(LIMIT);
  });
});
