import type { TenantDocument } from '../../dev/azure-sim/azure-sim';
import { tierLimits } from '../../shared/license/license-tiers';
import { startScanStack, type ScanStack } from './scan-stack';

/**
 * The trial tier's limits on a tenant that exceeds both: one subscription more than the subscription limit, and
 * more items than the item limit, each vault's secrets over more than one list page. The test orders subscriptions and items itself and checks exactly which are kept.
 */
const { subscriptionLimit, itemLimit } = tierLimits.trial;
const SUBS = (subscriptionLimit ?? 0) + 1;
/** More secrets than Key Vault's 25-item list page, so every vault is listed over two pages. */
const PER_VAULT = 30;
const hex = (n: number) => n.toString(16).padStart(12, '0');
// Ids listed out of order on purpose; the limit must follow the id order, not ARM's.
const subscriptionIds = Array.from({ length: SUBS }, (_, i) => `5b5e7c1a-2f3d-4a6b-8c9d-${hex((i * 7) % SUBS)}`);
const tenant: TenantDocument = {
  tenantId: '6a1f3c2e-0d4b-4e6a-9c51-2b8d6f0e4a11',
  displayName: 'Over the limits',
  caller: {
    objectId: '3f2b9d4e-6a1c-4b7e-8d20-5c9e1f7a2b34',
    appId: '9c4e2a1b-7d3f-4e58-a6b9-0f1d2c3e4a56',
    displayName: 'kw',
  },
  subscriptions: subscriptionIds.map((subscriptionId, i) => ({
    subscriptionId,
    displayName: `sub-${i}`,
    vaults: [
      {
        name: `kv-limit-${i}`,
        resourceGroup: 'rg',
        access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
        secrets: Array.from({ length: PER_VAULT }, (_, j) => ({
          name: `s-${String(j).padStart(2, '0')}`,
          expiresInDays: 10,
        })),
      },
    ],
  })),
};

describe('tier limits in a scan', () => {
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({ tenant }, { KEYWARD_TIER: 'trial' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('keeps the first subscriptions by id and the first items in order, and reports what was left out, in total and per vault', async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    const scan = (await s.waitForScan(trigger.body.scanId)) as unknown as {
      subscriptionsSkipped: { subscriptionId: string }[];
      itemsLeftOut: number;
    };
    const byId = [...subscriptionIds].sort();
    const kept = byId.slice(0, subscriptionLimit ?? SUBS);
    expect(scan.subscriptionsSkipped.map((x) => x.subscriptionId)).toEqual(byId.slice(kept.length));
    const found = kept.length * PER_VAULT;
    expect(scan.itemsLeftOut).toBe(found - (itemLimit ?? found));
    expect((await s.get<{ totalItems: number }>('/api/stats')).totalItems).toBe(itemLimit);

    // Items are kept vault by vault in subscription-id order: the last kept subscriptions lose theirs first.
    const visible = async (subscriptionId: string): Promise<number> =>
      (await s.get<{ assets: unknown[] }>(`/api/assets/discovery/assets?subscription=${subscriptionId}&limit=100`))
        .assets.length;
    const expected = kept.map((_, i) => Math.max(0, Math.min(PER_VAULT, (itemLimit ?? found) - i * PER_VAULT)));
    expect(await Promise.all(kept.map(visible))).toEqual(expected);

    // Each vault says how many of its items the limit left out, so the owner sees what is not monitored.
    const { vaults } = await s.get<{ vaults: { subscriptionId: string; itemCount: number; itemsLeftOut: number }[] }>(
      '/api/assets/discovery/vaults',
    );
    const bySub = new Map(vaults.map((v) => [v.subscriptionId, v]));
    expect(kept.map((id) => bySub.get(id)?.itemCount)).toEqual(expected);
    expect(kept.map((id) => bySub.get(id)?.itemsLeftOut)).toEqual(expected.map((n) => PER_VAULT - n));
    expect(vaults.reduce((sum, v) => sum + v.itemsLeftOut, 0)).toBe(scan.itemsLeftOut);
  });
});
