import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { createCloudClients, VAULT_CONNECTIONS, type CloudClients } from '../../shared/cloud/cloud-clients';
import { listVault, vaultDataClients } from '../../shared/scan/vault-lister';
import { CLIENTS_CLOSED, type RetryOptions } from '../../shared/scan/scan-retry';

const SUB = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const tenant: TenantDocument = {
  tenantId: '2e4f6a8c-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
  displayName: 'One vault',
  caller: {
    objectId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    appId: '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a',
    displayName: 'kw',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'sub',
      vaults: [
        {
          name: 'kv-one',
          resourceGroup: 'rg',
          access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
          // More than one list page of each kind, so each kind keeps a connection busy for a while.
          secrets: Array.from({ length: 30 }, (_, i) => ({ name: `s-${i}`, expiresInDays: 40 })),
          keys: Array.from({ length: 30 }, (_, i) => ({ name: `k-${i}`, expiresInDays: 40 })),
        },
      ],
    },
  ],
};

const sleeps: number[] = [];
const retry: RetryOptions = {
  attempts: 3,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  nowMs: () => Date.now(),
};

describe("a vault's data clients", () => {
  let sim: RunningAzureSim;
  let cloud: CloudClients;
  let restoreEnv: () => void;
  let vaultUri: string;
  beforeAll(async () => {
    sim = await startAzureSim({ tenant });
    restoreEnv = useSimIdentityEnv(sim);
    const settings = { armEndpoint: sim.armEndpoint, graphEndpoint: sim.graphEndpoint, simulator: true };
    cloud = createCloudClients({ ...settings, caCertPem: sim.caCertPem }, new ManagedIdentityCredential());
    const vault = await cloud.keyVaultManagement(SUB).vaults.get('rg', 'kv-one');
    vaultUri = vault.properties.vaultUri ?? '';
  });
  afterAll(async () => {
    restoreEnv?.();
    await sim?.stop();
  });

  it('hold a few connections while they list, close them all when closed, and send nothing after', async () => {
    const data = vaultDataClients(cloud, vaultUri, {});
    const listed = await listVault(data, retry);
    expect(listed.listing.secrets).toHaveLength(30);
    expect(listed.listing.keys).toHaveLength(30);
    // Kept alive for the vault's next requests (the simulator, like Azure, keeps idle connections for minutes).
    const open = await sim.openVaultConnections();
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(VAULT_CONNECTIONS);

    const sent = sim.requestLog().length;
    data.close();
    // Refused before the network, and not retried.
    await expect(listVault(data, retry)).rejects.toMatchObject({ code: CLIENTS_CLOSED });
    expect(sim.requestLog()).toHaveLength(sent);
    expect(sleeps).toEqual([]);
    // The simulator sees every connection end (it would keep an idle one open for minutes).
    while ((await sim.openVaultConnections()) > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it("build one TLS context for every vault's pool, trusting the configured CA", async () => {
    const [first, second] = [cloud.vaultAgent(), cloud.vaultAgent()];
    expect(first).not.toBe(second);
    expect(first.options.secureContext).toBeDefined();
    expect(second.options.secureContext).toBe(first.options.secureContext);
    first.destroy();
    second.destroy();
    // A vault's clients reach the simulator (whose certificate only that CA signs) through such a pool.
    const data = vaultDataClients(cloud, vaultUri, {});
    await expect(listVault(data, retry)).resolves.toMatchObject({ listing: { secrets: expect.any(Array) } });
    data.close();
  });
});
