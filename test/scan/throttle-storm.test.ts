import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { defaultKnobs } from '../../dev/azure-sim/sim-knobs';
import { budgetPolicy } from '../../shared/cloud/budget-policy';
import { createCloudClients, type CloudClients } from '../../shared/cloud/cloud-clients';
import { createRequestBudget, type RequestBudget } from '../../shared/scan/request-budget';
import type { RetryOptions } from '../../shared/scan/scan-retry';
import { listVault, vaultDataClients } from '../../shared/scan/vault-lister';
import { requestCounter } from '../../shared/scan/vault-scanner';

// Real Key Vault 429s name no wait (vcsjones/AzureSignTool#219), which is the simulator's default: the scan must
// back off on its own, resume the list where it stood and keep within its budget.
jest.setTimeout(120_000);

const SUB = '3d4e5f60-7182-4394-a5b6-c7d8e9f0a1b2';
const ITEMS = 200;
const tenant: TenantDocument = {
  tenantId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  displayName: 'One busy vault',
  caller: {
    objectId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    appId: '6f5e4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f',
    displayName: 'kw',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'sub',
      vaults: [
        {
          name: 'kv-busy',
          resourceGroup: 'rg',
          access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
          secrets: Array.from({ length: ITEMS }, (_, i) => ({ name: `s-${i}`, expiresInDays: 40 })),
        },
      ],
    },
  ],
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('a vault listed through a storm of 429s without Retry-After', () => {
  let sim: RunningAzureSim;
  let cloud: CloudClients;
  let restoreEnv: () => void;
  let vaultUri: string;
  let vaultId: string;
  beforeAll(async () => {
    sim = await startAzureSim({
      tenant,
      // Two requests at once, then one every 250 ms: every list of more than two pages runs into 429s.
      knobs: { throttling: { ...defaultKnobs.throttling, keyVaultPerVault: { capacity: 2, refillPerSecond: 4 } } },
    });
    restoreEnv = useSimIdentityEnv(sim);
    const settings = { armEndpoint: sim.armEndpoint, graphEndpoint: sim.graphEndpoint, simulator: true };
    cloud = createCloudClients({ ...settings, caCertPem: sim.caCertPem }, new ManagedIdentityCredential());
    const vault = await cloud.keyVaultManagement(SUB).vaults.get('rg', 'kv-busy');
    vaultUri = vault.properties.vaultUri ?? '';
    vaultId = vault.id ?? '';
  });
  afterAll(async () => {
    restoreEnv?.();
    await sim?.stop();
  });

  it('completes the listing, asks for each page once, backs off after each 429 and keeps the budget', async () => {
    const real = createRequestBudget({ nowMs: () => Date.now(), sleep });
    // The real budget, watched: when it let each request go, and each pause the policy asked for.
    const grants: number[] = [];
    const pauses: { key: string; at: number; untilMs: number }[] = [];
    const budget: RequestBudget = {
      acquire: async (keys) => {
        await real.acquire(keys);
        grants.push(Date.now());
      },
      pause: (key, untilMs) => {
        pauses.push({ key, at: Date.now(), untilMs });
        real.pause(key, untilMs);
      },
      peak: (key) => real.peak(key),
    };
    const vaultKey = { key: `kv/${vaultId.toLowerCase()}`, rule: { limit: 6, windowMs: 1000 } };
    const subKey = { key: `kvsub/${SUB}`, rule: { limit: 100, windowMs: 1000 } };
    const backoff = { baseMs: 200, maxMs: 1600, random: () => 0.5 };
    const counter = requestCounter();
    const policies = [budgetPolicy(budget, [vaultKey, subKey], () => Date.now(), backoff), counter.policy];
    const retry: RetryOptions = { attempts: 4, sleep, nowMs: () => Date.now(), baseDelayMs: 50, maxDelayMs: 200 };
    const data = vaultDataClients(cloud, vaultUri, { policies });
    const start = sim.requestLog().length;
    const listed = await listVault(data, retry);
    data.close();

    expect(listed.listing.secrets).toHaveLength(ITEMS);
    expect(new Set(listed.listing.secrets?.map((s) => s.name)).size).toBe(ITEMS);
    const all = sim
      .requestLog()
      .slice(start)
      .filter((r) => r.vault === 'kv-busy');
    const lists = all.filter((r) => /^\/secrets\?/.test(r.path));
    const throttled = lists.filter((r) => r.status === 429);
    // A storm happened, and the SDK did not retry the 429s itself: each one reached the scan.
    expect(throttled.length).toBeGreaterThan(0);
    expect(counter.throttled).toBe(all.filter((r) => r.status === 429).length);
    // Resumed, never relisted: page 1 was asked for successfully once, each later page once.
    // (Key Vault's paging: an empty first page with a nextLink, then pages of 24, each link naming api-version 7.5.)
    const ok = lists.filter((r) => r.status === 200);
    const pages = 1 + Math.ceil(ITEMS / 24);
    expect(ok).toHaveLength(pages);
    expect(new Set(ok.map((r) => new URL(r.path, 'https://x').searchParams.get('$skiptoken'))).size).toBe(pages);
    // Bounded: every request is a page or a 429. Each 429 paused the vault (only the vault: the subscription was
    // not asked to wait) for at least half the first back-off, and the budget let nothing through meanwhile.
    expect(lists).toHaveLength(pages + throttled.length);
    expect(pauses).toHaveLength(counter.throttled);
    for (const p of pauses) {
      expect(p.key).toBe(vaultKey.key);
      expect(p.untilMs - p.at).toBeGreaterThanOrEqual(backoff.baseMs / 2);
      expect(grants.filter((g) => g > p.at && g < p.untilMs)).toEqual([]);
    }
    // The budget held: no window of the vault's key ever counted more than its limit (429s included).
    expect(budget.peak(vaultKey.key)).toBeLessThanOrEqual(vaultKey.rule.limit);
    expect(counter.requests).toBe(all.length);
  });
});
