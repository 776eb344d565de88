import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { fixedClock } from '../../shared/time/clock';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
// Child processes and Retry-After waits take seconds on a busy machine; this bounds a hang, not speed.
jest.setTimeout(60_000);
let sim: RunningAzureSim;
let restoreEnv: () => void;
const uris = new Map<string, string>();
const credential = new ManagedIdentityCredential();

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo', clock: fixedClock(NOW) });
  restoreEnv = useSimIdentityEnv(sim);
  for (const sub of ['01', '02', '03']) {
    const arm = new KeyVaultManagementClient(
      credential,
      `0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c${sub}`,
      simArmOptions(sim),
    );
    for await (const v of arm.vaults.listBySubscription()) uris.set(v.name ?? '', v.properties.vaultUri ?? '');
  }
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

const secrets = (vault: string): SecretClient =>
  new SecretClient(uris.get(vault) ?? '', credential, simKeyVaultOptions(sim, 0));

async function errorOf(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected a failure');
}

test('secrets are listed in pages of maxresults, with managed certificate-backing secrets marked', async () => {
  const pages: number[] = [];
  const all = [];
  for await (const page of secrets('kv-prod-payments').listPropertiesOfSecrets().byPage({ maxPageSize: 5 })) {
    pages.push(page.length);
    all.push(...page);
  }
  // 12 secrets plus the 3 secrets backing the vault's certificates.
  // Key Vault's paging (the default knob): an empty first page with a nextLink, then pages short of maxresults.
  expect(pages).toEqual([0, 4, 4, 4, 3]);
  expect(all.find((s) => s.name === 'pay-tls-0')).toMatchObject({ managed: true, contentType: 'application/x-pkcs12' });
  expect(all.find((s) => s.name === 'pay-disabled-old')?.enabled).toBe(false);
  expect(all.find((s) => s.name === 'pay-legacy-token')?.expiresOn).toBeUndefined();
  expect(all.find((s) => s.name === 'pay-api-key')?.expiresOn?.getTime()).toBe(NOW.getTime() + 2 * DAY);
  expect(all.find((s) => s.name === 'pay-api-key')?.recoveryLevel).toBe('Recoverable');
});

test('maxresults above 25 is refused with 400 BadParameter', async () => {
  const iterator = secrets('kv-prod-payments').listPropertiesOfSecrets().byPage({ maxPageSize: 26 });
  expect(await errorOf(iterator.next())).toMatchObject({ statusCode: 400, code: 'BadParameter' });
});

test('versions are listed and a version is read with its value (Administrator role)', async () => {
  const client = secrets('kv-prod-shared');
  const versions = [];
  for await (const v of client.listPropertiesOfSecretVersions('shr-api-key')) versions.push(v);
  expect(versions).toHaveLength(2);
  const latest = await client.getSecret('shr-api-key');
  expect(latest.value).toMatch(/^sim-/);
  expect(latest.properties.version).toBe(versions[1]?.version);
  const older = await client.getSecret('shr-api-key', { version: versions[0]?.version ?? '' });
  expect(older.properties.version).toBe(versions[0]?.version);
});

/** The raw error body, as Key Vault sends it (the SDK's paging errors keep only status and code). */
async function rawError(vault: string, path: string): Promise<unknown> {
  const token = await credential.getToken('https://vault.azure.net/.default');
  return new Promise((resolve, reject) => {
    const req = request(
      `${uris.get(vault) ?? ''}${path}?api-version=2025-07-01`,
      { ca: sim.caCertPem, headers: { authorization: `Bearer ${token.token}` } },
      (m) => {
        let body = '';
        m.on('data', (c: Buffer) => (body += c.toString()));
        m.on('end', () => resolve({ status: m.statusCode, ...(JSON.parse(body) as object) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('RBAC vault: Key Vault Reader lists but cannot read values; no role is 403 Forbidden (ForbiddenByRbac)', async () => {
  const reader = await errorOf(secrets('kv-prod-payments').getSecret('pay-api-key'));
  expect(reader).toMatchObject({ statusCode: 403, code: 'Forbidden' });
  expect(reader.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
  expect(await errorOf(secrets('kv-prod-data').listPropertiesOfSecrets().next())).toMatchObject({
    statusCode: 403,
    code: 'Forbidden',
  });
  const body = await rawError('kv-prod-data', 'secrets');
  expect(body).toMatchObject({ status: 403, error: { code: 'Forbidden', innererror: { code: 'ForbiddenByRbac' } } });
  expect(JSON.stringify(body)).toContain('Caller is not authorized to perform action on resource.');
  expect(JSON.stringify(body)).toContain('oid=3f2b9d4e-6a1c-4b7e-8d20-5c9e1f7a2b33');
});

test('access-policy vault: granted permissions work, missing ones are 403 with the access-policy message', async () => {
  expect((await secrets('kv-prod-identity').getSecret('idp-ldap-bind')).value).toMatch(/^sim-/);
  const noSet = await errorOf(secrets('kv-prod-identity').setSecret('new', 'x'));
  expect(noSet).toMatchObject({ statusCode: 403, code: 'Forbidden' });
  expect(noSet.message).toContain('does not have secrets set permission');
  expect(await errorOf(secrets('kv-dev-nopolicy').listPropertiesOfSecrets().next())).toMatchObject({ statusCode: 403 });
  expect(await rawError('kv-dev-nopolicy', 'secrets')).toMatchObject({
    error: { code: 'Forbidden', innererror: { code: 'AccessDenied' } },
  });
});

test('firewalled vault: 403 ForbiddenByFirewall', async () => {
  expect(await errorOf(secrets('kv-prod-network').listPropertiesOfSecrets().next())).toMatchObject({
    statusCode: 403,
    code: 'Forbidden',
  });
  const err = await errorOf(secrets('kv-prod-network').getSecret('net-api-key'));
  expect(err.message).toContain('Client address is not authorized and caller is not a trusted service.');
  expect(await rawError('kv-prod-network', 'secrets')).toMatchObject({
    error: { innererror: { code: 'ForbiddenByFirewall' } },
  });
});

test('set adds a version, update changes properties, delete soft-deletes', async () => {
  const client = secrets('kv-dev-apps');
  const before = await client.getSecret('dev-api-key');
  const exp = new Date(NOW.getTime() + 90 * DAY);
  const created = await client.setSecret('dev-api-key', 'rotated', { expiresOn: exp, tags: { rotatedBy: 'test' } });
  expect(created.properties.version).not.toBe(before.properties.version);
  expect(created.properties.createdOn?.getTime()).toBe(NOW.getTime());
  expect((await client.getSecret('dev-api-key')).properties).toMatchObject({
    expiresOn: exp,
    tags: { rotatedBy: 'test' },
  });
  const updated = await client.updateSecretProperties('dev-api-key', created.properties.version ?? '', {
    enabled: false,
  });
  expect(updated.enabled).toBe(false);
  const poller = await client.beginDeleteSecret('dev-api-key', { intervalInMs: 10 });
  const deleted = await poller.pollUntilDone();
  expect(deleted.deletedOn?.getTime()).toBe(NOW.getTime());
  expect(await errorOf(client.getSecret('dev-api-key'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  // A soft-deleted name cannot be reused until it is recovered or purged.
  expect(await errorOf(client.setSecret('dev-api-key', 'again'))).toMatchObject({ statusCode: 409, code: 'Conflict' });
});

test('certificates: list, versions, get with x5t, subject, issuer and exp in a real DER certificate', async () => {
  const client = new CertificateClient(uris.get('kv-prod-payments') ?? '', credential, simKeyVaultOptions(sim, 0));
  const names = [];
  for await (const c of client.listPropertiesOfCertificates()) names.push(c.name);
  expect(names.sort()).toEqual(['pay-tls-0', 'pay-tls-1', 'pay-tls-2']);
  const versions = [];
  for await (const v of client.listPropertiesOfCertificateVersions('pay-tls-1')) versions.push(v);
  expect(versions).toHaveLength(2);
  const cert = await client.getCertificate('pay-tls-0');
  expect(cert.properties.x509Thumbprint?.length).toBe(20);
  expect(cert.policy?.subject).toBe('CN=pay-0.contoso.com');
  expect(cert.properties.expiresOn?.getTime()).toBe(NOW.getTime() + 5 * DAY);
  const x509 = new X509Certificate(Buffer.from(cert.cer ?? new Uint8Array()));
  expect(x509.subject).toBe('CN=pay-0.contoso.com');
  expect(x509.issuer).toBe('CN=Contoso Issuing CA 01');
  expect(new Date(x509.validTo).getTime()).toBe(NOW.getTime() + 5 * DAY);
});

test('keys: list (including certificate-backing keys), versions, get', async () => {
  const client = new KeyClient(uris.get('kv-prod-payments') ?? '', credential, simKeyVaultOptions(sim, 0));
  const keys = [];
  for await (const k of client.listPropertiesOfKeys()) keys.push(k);
  expect(keys.map((k) => k.name).sort()).toEqual(['pay-cmk-0', 'pay-cmk-1', 'pay-tls-0', 'pay-tls-1', 'pay-tls-2']);
  expect(keys.find((k) => k.name === 'pay-tls-0')?.managed).toBe(true);
  const versions = [];
  for await (const v of client.listPropertiesOfKeyVersions('pay-cmk-0')) versions.push(v);
  expect(versions).toHaveLength(1);
  const key = await client.getKey('pay-cmk-1');
  expect(key.keyType).toBe('EC');
  expect(key.properties.expiresOn).toBeUndefined();
});
