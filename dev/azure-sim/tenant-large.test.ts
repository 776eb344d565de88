import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SecretClient } from '@azure/keyvault-secrets';
import { startAzureSim } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';
import { generateLargeTenant } from './tenant-large';
import { parseTenant } from './tenant-schema';

// Child processes and Retry-After waits take seconds on a busy machine; this bounds a hang, not speed.
jest.setTimeout(60_000);
test('the large tenant is deterministic in its seed and sized by its parameters', () => {
  const params = { seed: 7, subscriptions: 3, vaultsPerSubscription: 4, itemsPerVault: 10, applications: 5 };
  const a = parseTenant(generateLargeTenant(params));
  expect(JSON.stringify(parseTenant(generateLargeTenant(params)))).toBe(JSON.stringify(a));
  expect(JSON.stringify(parseTenant(generateLargeTenant({ ...params, seed: 8 })))).not.toBe(JSON.stringify(a));
  expect(a.subscriptions).toHaveLength(3);
  for (const sub of a.subscriptions) {
    expect(sub.vaults).toHaveLength(4);
    for (const v of sub.vaults) expect(v.secrets.length + v.certificates.length + v.keys.length).toBe(10);
  }
  expect(a.applications).toHaveLength(5);
  expect(new Set(a.subscriptions.flatMap((s) => s.vaults.map((v) => v.name))).size).toBe(12);
});

test('a generated tenant is served through ARM and Key Vault', async () => {
  const sim = await startAzureSim({
    tenant: 'large',
    large: { seed: 3, subscriptions: 2, vaultsPerSubscription: 3, itemsPerVault: 60 },
  });
  const restore = useSimIdentityEnv(sim);
  try {
    const credential = new ManagedIdentityCredential();
    const doc = parseTenant(
      generateLargeTenant({ seed: 3, subscriptions: 2, vaultsPerSubscription: 3, itemsPerVault: 60 }),
    );
    const sub = doc.subscriptions[0];
    const arm = new KeyVaultManagementClient(credential, sub?.subscriptionId ?? '', simArmOptions(sim));
    const vaults = [];
    for await (const v of arm.vaults.listBySubscription()) vaults.push(v);
    expect(vaults.map((v) => v.name)).toEqual(sub?.vaults.map((v) => v.name));
    const readable = sub?.vaults.findIndex((v) => v.access.model === 'accessPolicy' && !v.firewalled) ?? -1;
    expect(readable).toBeGreaterThanOrEqual(0);
    const spec = sub?.vaults[readable];
    const client = new SecretClient(vaults[readable]?.properties.vaultUri ?? '', credential, simKeyVaultOptions(sim));
    const pages: number[] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage()) pages.push(page.length);
    // An empty first page with a nextLink, then pages one short of maxresults (Key Vault's paging, the default).
    expect(pages).toEqual([0, 24, 24]);
    const n = pages.reduce((a, b) => a + b, 0);
    // Own secrets plus the secrets backing its certificates.
    expect(n).toBe((spec?.secrets.length ?? 0) + (spec?.certificates.length ?? 0));
  } finally {
    restore();
    await sim.stop();
  }
});
