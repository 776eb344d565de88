import { request } from 'node:https';
import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { createCloudClients, type CloudClients } from '../../shared/cloud/cloud-clients';
import type { RetryOptions } from '../../shared/scan/scan-retry';
import { listVault, listVaultThroughArm, vaultDataClients } from '../../shared/scan/vault-lister';

type VaultDocument = NonNullable<TenantDocument['subscriptions'][number]['vaults']>[number];
const SUB = '5e6f7081-92a3-44b5-86c7-d8e9f0a1b2c3';
const reader = { model: 'rbac' as const, callerRoles: ['Key Vault Reader'] };
const contents = {
  secrets: [{ name: 'api-key', expiresInDays: 30 }],
  keys: [{ name: 'signing', expiresInDays: 30 }],
};
/** The three network modes Key Vault has, each on its own vault (the simulator's callers come from 127.0.0.1). */
const tenant: TenantDocument = {
  tenantId: '0f1e2d3c-4b5a-4697-8887-a6b5c4d3e2f1',
  displayName: 'Network modes',
  caller: {
    objectId: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
    appId: '7e8f9a0b-1c2d-43e4-95f6-a7b8c9d0e1f2',
    displayName: 'kw',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'sub',
      vaults: [
        { name: 'kv-private', resourceGroup: 'rg', access: reader, network: { publicNetworkAccess: 'Disabled' } },
        { name: 'kv-deny', resourceGroup: 'rg', access: reader, network: { defaultAction: 'Deny' } },
        {
          name: 'kv-allowed',
          resourceGroup: 'rg',
          access: reader,
          network: { defaultAction: 'Deny', ipRules: ['10.0.0.0/8', '127.0.0.0/24'] },
        },
        {
          name: 'kv-other-rule',
          resourceGroup: 'rg',
          access: reader,
          network: { defaultAction: 'Deny', ipRules: ['203.0.113.7'] },
        },
      ].map((v): VaultDocument => ({ ...(v as VaultDocument), ...contents })),
    },
  ],
};

const retry: RetryOptions = { attempts: 2, sleep: async () => undefined, nowMs: () => Date.now() };

describe('Key Vault network modes', () => {
  let sim: RunningAzureSim;
  let cloud: CloudClients;
  let restoreEnv: () => void;
  const uris = new Map<string, string>();
  beforeAll(async () => {
    sim = await startAzureSim({ tenant });
    restoreEnv = useSimIdentityEnv(sim);
    const settings = { armEndpoint: sim.armEndpoint, graphEndpoint: sim.graphEndpoint, simulator: true };
    cloud = createCloudClients({ ...settings, caCertPem: sim.caCertPem }, new ManagedIdentityCredential());
    for await (const v of cloud.keyVaultManagement(SUB).vaults.listBySubscription()) {
      uris.set(v.name ?? '', v.properties.vaultUri ?? '');
    }
  });
  afterAll(async () => {
    restoreEnv?.();
    await sim?.stop();
  });

  /** The vault's raw answer to a list, as the wire carries it (the SDK's paged error drops the body). */
  async function rawList(vault: string): Promise<{ status: number; body: unknown }> {
    const token = await new ManagedIdentityCredential().getToken('https://vault.azure.net/.default');
    return new Promise((resolve, reject) => {
      const req = request(
        `${uris.get(vault) ?? ''}secrets?api-version=2025-07-01`,
        { ca: sim.caCertPem, headers: { authorization: `Bearer ${token.token}` } },
        (m) => {
          let body = '';
          m.on('data', (c: Buffer) => (body += c.toString()));
          m.on('end', () => resolve({ status: m.statusCode ?? 0, body: JSON.parse(body) as unknown }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  const table = [
    {
      vault: 'kv-private',
      inner: 'ForbiddenByConnection',
      text: 'Public network access is disabled',
      product: 'firewalled',
    },
    { vault: 'kv-deny', inner: 'ForbiddenByFirewall', text: 'Client address is not authorized', product: 'firewalled' },
    { vault: 'kv-other-rule', inner: 'ForbiddenByFirewall', text: 'Client address: 127.0.0.1', product: 'firewalled' },
    { vault: 'kv-allowed', inner: null, text: null, product: 'ok' },
  ] as const;

  it.each(table)('$vault answers as Key Vault does ($inner)', async ({ vault, inner, text }) => {
    const { status, body } = await rawList(vault);
    if (!inner) {
      expect(status).toBe(200);
      return;
    }
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: { code: 'Forbidden', innererror: { code: inner } } });
    expect(JSON.stringify(body)).toContain(text);
  });

  it.each(table)(
    'the scan classifies $vault as $product and falls back to ARM when refused',
    async ({ vault, product }) => {
      const data = vaultDataClients(cloud, uris.get(vault) ?? '', {});
      const listed = await listVault(data, retry);
      data.close();
      if (product === 'ok') {
        expect(listed.denied).toEqual({});
        expect(listed.listing.secrets?.map((s) => s.name)).toEqual(['api-key']);
        expect(listed.listing.keys?.map((k) => k.name)).toEqual(['signing']);
        return;
      }
      expect(listed.denied).toEqual({ secrets: 'firewalled', certificates: 'firewalled', keys: 'firewalled' });
      const unit = { subscriptionId: SUB, resourceGroup: 'rg', vaultName: vault };
      const arm = await listVaultThroughArm(cloud, unit as Parameters<typeof listVaultThroughArm>[1], {}, retry);
      expect(arm.source).toBe('arm');
      expect(arm.secrets?.map((s) => s.name)).toEqual(['api-key']);
    },
  );

  it('shows each mode on the ARM vault resource', async () => {
    const get = (name: string) => cloud.keyVaultManagement(SUB).vaults.get('rg', name);
    expect((await get('kv-private')).properties).toMatchObject({ publicNetworkAccess: 'Disabled' });
    expect((await get('kv-deny')).properties).toMatchObject({
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Deny', ipRules: [] },
    });
    expect((await get('kv-allowed')).properties.networkAcls?.ipRules).toEqual([
      { value: '10.0.0.0/8' },
      { value: '127.0.0.0/24' },
    ]);
  });
});
