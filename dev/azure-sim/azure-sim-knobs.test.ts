import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SecretClient } from '@azure/keyvault-secrets';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';
import { defaultKnobs, noFaults } from './sim-knobs';

const PROD = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
// Child processes and Retry-After waits take seconds on a busy machine; this bounds a hang, not speed.
jest.setTimeout(60_000);
let sim: RunningAzureSim;
let restoreEnv: () => void;
const uris = new Map<string, string>();
const credential = new ManagedIdentityCredential();

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo' });
  restoreEnv = useSimIdentityEnv(sim);
  const arm = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim));
  for await (const v of arm.vaults.listBySubscription()) uris.set(v.name ?? '', v.properties.vaultUri ?? '');
});
afterEach(() => {
  sim.setKnobs({
    apis: defaultKnobs.apis,
    vaults: { 'kv-prod-payments': noFaults, 'kv-prod-shared': noFaults },
    throttling: defaultKnobs.throttling,
  });
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

const secrets = (vault: string, maxRetries = 3): SecretClient =>
  new SecretClient(uris.get(vault) ?? '', credential, { ...simKeyVaultOptions(sim, maxRetries) });

async function listAll(client: SecretClient): Promise<number> {
  let n = 0;
  for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 5 })) n += page.length;
  return n;
}

test('a throttled vault answers 429 without Retry-After, as Key Vault does, so the SDK does not retry it', async () => {
  sim.setKnobs({ throttling: { ...defaultKnobs.throttling, keyVaultPerVault: { capacity: 1, refillPerSecond: 1 } } });
  const start = sim.requestLog().length;
  // The body is the one real Key Vault sends (vcsjones/AzureSignTool#219), and no header names a wait.
  const error = await listAll(secrets('kv-prod-payments')).catch((e: unknown) => e);
  expect(error).toMatchObject({ statusCode: 429, code: 'Throttled' });
  const response = (error as { response?: { headers: { get(n: string): string | undefined } } }).response;
  expect(response?.headers.get('retry-after')).toBeUndefined();
  const calls = sim
    .requestLog()
    .slice(start)
    .filter((r) => r.vault === 'kv-prod-payments');
  // The SDK's retry policies retry a 429 only when it names a wait: the throttled request is the last one.
  expect(calls.at(-1)?.status).toBe(429);
  expect(calls.filter((r) => r.status === 429)).toHaveLength(1);
  expect(sim.counters().byVault['kv-prod-payments']?.throttled).toBeGreaterThan(0);
});

test('the keyVaultRetryAfter knob keeps the header variant, and the SDK retry policy waits and succeeds', async () => {
  sim.setKnobs({
    throttling: {
      ...defaultKnobs.throttling,
      keyVaultRetryAfter: true,
      keyVaultPerVault: { capacity: 1, refillPerSecond: 1 },
    },
  });
  await new Promise((r) => setTimeout(r, 1100)); // the previous test emptied the bucket
  const start = sim.requestLog().length;
  expect(await listAll(secrets('kv-prod-payments'))).toBe(15);
  const calls = sim
    .requestLog()
    .slice(start)
    .filter((r) => r.vault === 'kv-prod-payments');
  const throttled = calls.findIndex((r) => r.status === 429);
  expect(throttled).toBeGreaterThanOrEqual(0);
  const retry = calls[throttled + 1];
  expect(retry?.status).toBe(200);
  // Retry-After is 1 s: the SDK's retry must not come earlier (a lower bound, safe on a slow machine).
  expect(Date.parse(retry?.at ?? '') - Date.parse(calls[throttled]?.at ?? '')).toBeGreaterThanOrEqual(900);
});

test('the per-subscription Key Vault bucket throttles across vaults of one subscription', async () => {
  sim.setKnobs({
    throttling: { ...defaultKnobs.throttling, keyVaultPerSubscription: { capacity: 1, refillPerSecond: 1 } },
  });
  const before = sim.counters().bySubscription[PROD]?.throttled ?? 0;
  expect((await secrets('kv-prod-identity', 0).getSecret('idp-ldap-bind')).value).toMatch(/^sim-/);
  // Another vault of the same subscription, whose own bucket is full, is throttled by the shared one.
  await expect(secrets('kv-prod-shared', 0).getSecret('shr-api-key')).rejects.toMatchObject({ statusCode: 429 });
  expect(sim.counters().bySubscription[PROD]?.throttled ?? 0).toBeGreaterThan(before);
});

test('ARM reads are throttled per subscription and the ARM client retries after Retry-After', async () => {
  sim.setKnobs({
    armPageSize: 1,
    throttling: { ...defaultKnobs.throttling, armReadsPerSubscription: { capacity: 2, refillPerSecond: 2 } },
  });
  const arm = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim));
  const names = [];
  for await (const v of arm.vaults.listBySubscription()) names.push(v.name);
  expect(names).toHaveLength(5);
  const armLog = sim.requestLog().filter((r) => r.api === 'arm' && r.subscriptionId === PROD);
  expect(armLog.some((r) => r.status === 429)).toBe(true);
  sim.setKnobs({ armPageSize: defaultKnobs.armPageSize });
});

test('injected 503s surface as the SDK RestError once retries are spent; other vaults are unaffected', async () => {
  sim.setKnobs({ vaults: { 'kv-prod-payments': { error503Rate: 1 } } });
  await expect(secrets('kv-prod-payments', 1).getSecret('pay-api-key')).rejects.toMatchObject({
    statusCode: 503,
    code: 'ServiceUnavailable',
  });
  expect((await secrets('kv-prod-shared', 0).getSecret('shr-api-key')).value).toMatch(/^sim-/);
});

test('injected 500s on an API surface as RestError 500', async () => {
  sim.setKnobs({ apis: { ...defaultKnobs.apis, arm: { ...noFaults, error500Rate: 1 } } });
  const arm = new KeyVaultManagementClient(credential, PROD, simArmOptions(sim, 0));
  await expect(arm.vaults.get('rg-payments', 'kv-prod-payments')).rejects.toMatchObject({ statusCode: 500 });
});

test('connection resets surface as a request error; slow responses and latency are applied', async () => {
  sim.setKnobs({ vaults: { 'kv-prod-shared': { resetRate: 1 } } });
  await expect(secrets('kv-prod-shared', 0).getSecret('shr-api-key')).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect(sim.requestLog().at(-1)).toMatchObject({ vault: 'kv-prod-shared', status: 0, fault: 'reset' });

  sim.setKnobs({ vaults: { 'kv-prod-shared': { slowRate: 1, slowMs: 300, latencyMs: 50 } } });
  await secrets('kv-prod-shared', 0).getSecret('shr-api-key');
  const last = sim.requestLog().at(-1);
  expect(last).toMatchObject({ vault: 'kv-prod-shared', status: 200, fault: 'slow' });
  expect(last?.durationMs).toBeGreaterThanOrEqual(340);
});

test('counters agree with the request log per vault and per subscription', () => {
  const log = sim.requestLog();
  const counters = sim.counters();
  expect(counters.byVault['kv-prod-payments']?.requests).toBe(log.filter((r) => r.vault === 'kv-prod-payments').length);
  expect(counters.bySubscription[PROD]?.requests).toBe(log.filter((r) => r.subscriptionId === PROD).length);
  expect(counters.total.requests).toBe(log.length);
  expect(counters.byApi.keyvault.byStatus['401']).toBeGreaterThan(0);
});
