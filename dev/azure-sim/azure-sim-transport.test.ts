import { request } from 'node:https';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SecretClient } from '@azure/keyvault-secrets';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';

const DEMO_SUB = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
let sim: RunningAzureSim;
let restoreEnv: () => void;

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo' });
  restoreEnv = useSimIdentityEnv(sim);
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const r = request(url, { ca: sim.caCertPem, headers }, (m) => {
      let body = '';
      m.on('data', (c: Buffer) => (body += c.toString()));
      m.on('end', () => resolve({ status: m.statusCode ?? 0, headers: m.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function vaultUri(name: string): Promise<string> {
  const arm = new KeyVaultManagementClient(new ManagedIdentityCredential(), DEMO_SUB, simArmOptions(sim));
  for await (const v of arm.vaults.listBySubscription()) if (v.name === name) return v.properties.vaultUri ?? '';
  throw new Error(`no vault ${name}`);
}

test('ManagedIdentityCredential and DefaultAzureCredential get JWTs with tid, oid, appid and the audience', async () => {
  for (const credential of [new ManagedIdentityCredential(), new DefaultAzureCredential()]) {
    const token = await credential.getToken('https://vault.azure.net/.default');
    const claims = claimsOf(token.token);
    expect(claims).toMatchObject({
      aud: 'https://vault.azure.net',
      tid: sim.tenantId,
      oid: '3f2b9d4e-6a1c-4b7e-8d20-5c9e1f7a2b33',
      appid: '9c4e2a1b-7d3f-4e58-a6b9-0f1d2c3e4a55',
    });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
  }
});

test('the token endpoint refuses a request without the identity header', async () => {
  const res = await fetch(`${sim.identityEndpoint}?api-version=2019-08-01&resource=https://vault.azure.net`);
  expect(res.status).toBe(401);
});

test('ARM, Graph and Key Vault answer 401 without a bearer token; Key Vault sends its challenge', async () => {
  expect((await rawGet(`${sim.armEndpoint}/subscriptions?api-version=2022-12-01`)).status).toBe(401);
  expect((await rawGet(`${sim.graphEndpoint}/v1.0/applications`)).status).toBe(401);
  const kv = await rawGet(`${await vaultUri('kv-prod-payments')}secrets?api-version=2025-07-01`);
  expect(kv.status).toBe(401);
  expect(kv.headers['www-authenticate']).toBe(
    `Bearer authorization="https://login.microsoftonline.com/${sim.tenantId}", resource="https://vault.azure.net"`,
  );
  expect(JSON.parse(kv.body)).toEqual({
    error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
  });
});

test('a token for another audience is refused', async () => {
  const armToken = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
  const res = await rawGet(`${await vaultUri('kv-prod-payments')}secrets?api-version=2025-07-01`, {
    authorization: `Bearer ${armToken.token}`,
  });
  expect(res.status).toBe(401);
});

test('SecretClient completes the challenge flow: 401 first, then the authorised request', async () => {
  const uri = await vaultUri('kv-prod-payments');
  const client = new SecretClient(uri, new ManagedIdentityCredential(), simKeyVaultOptions(sim));
  const names: string[] = [];
  const before = sim.requestLog().length;
  for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
  expect(names).toContain('pay-db-password');
  const vaultCalls = sim
    .requestLog()
    .slice(before)
    .filter((r) => r.vault === 'kv-prod-payments' && r.path.startsWith('/secrets'));
  // The challenge, then the first page and the pages its nextLinks name.
  expect(vaultCalls.map((r) => r.status).slice(0, 2)).toEqual([401, 200]);
  expect(vaultCalls.slice(1).every((r) => r.status === 200)).toBe(true);
});

test('TLS verification stays on: a client that does not trust the simulator CA fails', async () => {
  const uri = await vaultUri('kv-prod-payments');
  const client = new SecretClient(uri, new ManagedIdentityCredential(), {
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 0 },
  });
  await expect(client.getSecret('pay-api-key')).rejects.toThrow(/certificate/i);
});

test('ARM refuses a request without api-version; token requests are logged without the header secret', async () => {
  const token = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
  const res = await rawGet(`${sim.armEndpoint}/subscriptions`, { authorization: `Bearer ${token.token}` });
  expect(res.status).toBe(400);
  expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
  const identity = sim.requestLog().filter((r) => r.api === 'identity');
  expect(identity.length).toBeGreaterThan(0);
  expect(sim.counters().byApi.identity.requests).toBe(identity.length);
  expect(JSON.stringify(sim.requestLog())).not.toContain(sim.identityHeader);
});

test('a port in use rejects the start with EADDRINUSE', async () => {
  const port = Number(new URL(sim.url).port);
  await expect(startAzureSim({ tenant: 'demo', port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
});
