import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { fixedClock } from '../../shared/time/clock';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simArmOptions, useSimIdentityEnv } from './azure-sim-clients';

const PROD = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
const NOW = new Date('2026-03-01T00:00:00Z');
let sim: RunningAzureSim;
let restoreEnv: () => void;
const credential = new ManagedIdentityCredential();

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo', clock: fixedClock(NOW), knobs: { armPageSize: 2 } });
  restoreEnv = useSimIdentityEnv(sim);
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

test('subscriptions are listed across pages with the classic client ($host + endpoint)', async () => {
  const client = new SubscriptionClient(credential, simArmOptions(sim));
  const pages: string[][] = [];
  for await (const p of client.subscriptions.list().byPage()) pages.push(p.map((s) => s.displayName ?? ''));
  expect(pages).toEqual([['Contoso Production', 'Contoso Non-Production'], ['Contoso Shared Services']]);
});

test('vaults are listed by subscription across pages, with the properties the scanner reads', async () => {
  const client = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim));
  let pages = 0;
  const vaults = [];
  for await (const p of client.vaults.listBySubscription().byPage()) {
    pages += 1;
    vaults.push(...p);
  }
  expect(pages).toBe(3);
  expect(vaults.map((v) => v.name)).toEqual([
    'kv-prod-payments',
    'kv-prod-identity',
    'kv-prod-network',
    'kv-prod-data',
    'kv-prod-shared',
  ]);
  const network = vaults.find((v) => v.name === 'kv-prod-network');
  expect(network?.properties).toMatchObject({
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    enablePurgeProtection: true,
    // `firewalled` is a default-deny firewall (ForbiddenByFirewall); public access disabled is a `network` mode.
    publicNetworkAccess: 'Enabled',
    networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' },
  });
  expect(network?.properties.vaultUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  const identity = vaults.find((v) => v.name === 'kv-prod-identity');
  expect(identity?.properties.enableRbacAuthorization).toBe(false);
  expect(identity?.properties.accessPolicies?.[0]?.permissions.secrets).toEqual(['get', 'list']);
  expect(vaults.find((v) => v.name === 'kv-prod-payments')?.tags).toEqual({
    owner: 'payments-team@contoso.com',
    env: 'prod',
  });
});

test('a vault is read by resource group and name; an unknown one is a 404 RestError', async () => {
  const client = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim));
  const vault = await client.vaults.get('rg-payments', 'kv-prod-payments');
  expect(vault.id).toBe(
    `/subscriptions/${PROD}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-prod-payments`,
  );
  expect(vault.properties.publicNetworkAccess).toBe('Enabled');
  await expect(client.vaults.get('rg-payments', 'kv-missing')).rejects.toMatchObject({
    statusCode: 404,
    code: 'ResourceNotFound',
  });
});

test('the ARM-plane secrets list works for a firewalled vault and carries exp', async () => {
  const client = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim));
  const secrets = [];
  for await (const s of client.secrets.list('rg-network', 'kv-prod-network')) secrets.push(s);
  const secret = secrets.find((s) => s.name === 'net-client-secret');
  // net-client-secret expires one day before the clock's now in the demo tenant.
  expect(secret?.properties.attributes?.expires?.toISOString()).toBe('2026-02-28T00:00:00.000Z');
  expect(secret?.properties.secretUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/secrets\/net-client-secret$/);
  expect(secrets.length).toBeGreaterThan(2);
});
