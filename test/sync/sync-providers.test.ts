import { X509Certificate } from 'node:crypto';
import { CertificateClient, DefaultCertificatePolicy } from '@azure/keyvault-certificates';
import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import type { SourceKind, SyncProviderKind } from '../../shared/sync/sync-schemas';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };

describe('every provider, real SDK clients against the simulators', () => {
  let h: SyncHarness;
  let service: SyncService;
  let sourceCerts: CertificateClient;
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
    sourceCerts = h.cloud.certificates(h.vaultUris['kv-sync-src'] ?? '');
    await h.source.setSecret('p-db', 'p-db-value-1');
    const poller = await sourceCerts.beginCreateCertificate(
      'c-web',
      {
        ...DefaultCertificatePolicy,
        subject: 'CN=web.contoso.com',
      },
      { intervalInMs: 10 },
    );
    await poller.pollUntilDone();
    await h.cloud.keys(h.vaultUris['kv-sync-src'] ?? '').createKey('k-sign', 'RSA');
  });
  afterAll(async () => h?.stop());

  async function configure(provider: SyncProviderKind, kinds: SourceKind[], namePattern: string) {
    const rule = {
      sourceVaults: ['kv-sync-src'],
      namePattern,
      tags: {},
      kinds,
      nameTemplate: '{vault}/{name}',
      gcpReplicationLocations: [],
      deleteBehaviour: 'keep' as const,
      recoveryWindowDays: 30,
    };
    const config = await service.create(admin, {
      name: provider,
      provider,
      enabled: true,
      ...h.connectionFor(provider, 'AKIAKEYWARD00003'),
      rules: [rule],
    });
    await service.syncConfig(config.id);
    await h.drain();
    return config;
  }

  test('Parameter Store: created with tags and no Overwrite, updated with Overwrite and no tags', async () => {
    const config = await configure('awsParameterStore', ['secret'], 'p-*');
    const parameter = h.aws.parameters.get('/kv-sync-src/p-db');
    expect(parameter).toMatchObject({ type: 'SecureString', value: 'p-db-value-1', version: 1 });
    expect(parameter?.tags).toEqual(expect.arrayContaining([{ Key: 'managed-by', Value: 'keyward' }]));
    await h.source.setSecret('p-db', 'p-db-value-2');
    await service.syncConfig(config.id);
    await h.drain();
    expect(h.aws.parameters.get('/kv-sync-src/p-db')).toMatchObject({ value: 'p-db-value-2', version: 2 });
    expect(h.aws.requestLog().filter((e) => e.service === 'ssm' && e.status !== 200)).toEqual([
      expect.objectContaining({ operation: 'GetParameter', status: 400 }), // ParameterNotFound before the create
    ]);
    expect((await service.records({ configId: config.id }))[0]).toMatchObject({ status: 'synced', targetVersion: '2' });
  });

  test('another Key Vault: secrets by value with ownership tags; certificates by import', async () => {
    const config = await configure('keyVault', ['secret', 'certificate'], '{p-db,c-web}');
    const target = h.cloud.secrets(h.vaultUris['kv-sync-dst'] ?? '');
    const secret = await target.getSecret('kv-sync-src-p-db');
    expect(secret.value).toBe('p-db-value-2');
    expect(secret.properties.tags).toMatchObject({ 'managed-by': 'keyward', 'keyward-source-name': 'p-db' });
    const cert = await h.cloud.certificates(h.vaultUris['kv-sync-dst'] ?? '').getCertificate('kv-sync-src-c-web');
    const source = await sourceCerts.getCertificate('c-web');
    expect(Buffer.from(cert.cer ?? []).equals(Buffer.from(source.cer ?? []))).toBe(true);
    expect(cert.properties.tags).toMatchObject({ 'managed-by': 'keyward' });
    expect((await service.records({ configId: config.id })).map((r) => r.status)).toEqual(['synced', 'synced']);
  });

  test('ACM: the certificate with its key, tagged; a reimport keeps the ARN and sends no tags', async () => {
    const config = await configure('awsAcm', ['certificate'], 'c-*');
    const [record] = await service.records({ configId: config.id });
    expect(record?.status).toBe('synced');
    const imported = h.aws.certificates.get(record?.targetRef ?? '');
    const source = new X509Certificate(Buffer.from((await sourceCerts.getCertificate('c-web')).cer ?? []));
    expect(imported?.serial.toLowerCase()).toBe(source.serialNumber.toLowerCase());
    expect(imported?.tags).toEqual(expect.arrayContaining([{ Key: 'managed-by', Value: 'keyward' }]));
    const poller = await sourceCerts.beginCreateCertificate(
      'c-web',
      { ...DefaultCertificatePolicy, subject: 'CN=web.contoso.com' },
      { intervalInMs: 10 },
    );
    await poller.pollUntilDone();
    await service.syncConfig(config.id);
    await h.drain();
    const again = h.aws.certificates.get(record?.targetRef ?? '');
    expect(again?.imports).toBe(2);
    expect(h.aws.requestLog().filter((e) => e.service === 'acm' && e.status !== 200)).toEqual([]);
  });

  test('GCP Certificate Manager: created through a long-running operation, labelled', async () => {
    const config = await configure('gcpCertificateManager', ['certificate'], 'c-*');
    const [record] = await service.records({ configId: config.id });
    expect(record).toMatchObject({ status: 'synced', targetName: 'kv-sync-src-c-web' });
    const stored = [...h.gcp.certificates.values()].find((c) => c.name.endsWith('/certificates/kv-sync-src-c-web'));
    expect(stored?.labels).toMatchObject({ 'managed-by': 'keyward', 'keyward-source-name': 'c-web' });
    expect(h.gcp.requestLog().some((e) => e.target.includes('/operations/'))).toBe(true);
  });

  test('keys are listed as skipped: not exportable', async () => {
    const config = await configure('gcpSecretManager', ['key'], 'k-*');
    expect(await service.records({ configId: config.id })).toEqual([
      expect.objectContaining({
        sourceName: 'k-sign',
        kind: 'key',
        status: 'skipped',
        reason: 'Key Vault keys are not exportable',
      }),
    ]);
  });
});
