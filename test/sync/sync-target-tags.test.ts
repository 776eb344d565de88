import { CertificateClient, DefaultCertificatePolicy } from '@azure/keyvault-certificates';
import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import type { SourceKind, SyncProviderKind } from '../../shared/sync/sync-schemas';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };
const VERSION_TAG = 'keyward-source-version';

/**
 * The source-version tag follows every push, not only the create: after the source moves and a sync runs, each
 * provider's target names the new version (read back from the simulators' state, which the real SDKs wrote).
 */
describe('the source-version tag moves with every update, per provider', () => {
  let h: SyncHarness;
  let service: SyncService;
  let sourceCerts: CertificateClient;
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
    sourceCerts = h.cloud.certificates(h.vaultUris['kv-sync-src'] ?? '');
  });
  afterAll(async () => h?.stop());

  async function configure(provider: SyncProviderKind, kind: SourceKind, name: string) {
    return service.create(admin, {
      name: provider,
      provider,
      enabled: true,
      ...h.connectionFor(provider, 'AKIAKEYWARD00005'),
      rules: [
        {
          sourceVaults: ['kv-sync-src'],
          namePattern: name,
          tags: {},
          kinds: [kind],
          nameTemplate: '{vault}/{name}',
          gcpReplicationLocations: [],
          deleteBehaviour: 'keep',
          recoveryWindowDays: 30,
        },
      ],
    });
  }
  const sync = async (configId: string) => {
    await service.syncConfig(configId);
    await h.drain();
    const [record] = await service.records({ configId });
    expect(record?.status).toBe('synced');
    return record;
  };
  const newCertificateVersion = async (name: string): Promise<string> => {
    const poller = await sourceCerts.beginCreateCertificate(
      name,
      { ...DefaultCertificatePolicy, subject: `CN=${name}.contoso.com` },
      { intervalInMs: 10 },
    );
    return (await poller.pollUntilDone()).properties.version ?? '';
  };
  const newSecretVersion = async (name: string, value: string): Promise<string> =>
    (await h.source.setSecret(name, value)).properties.version ?? '';
  const awsTag = (tags: readonly { Key: string; Value: string }[] | undefined) =>
    tags?.find((t) => t.Key === VERSION_TAG)?.Value;

  test('Secrets Manager: TagResource moves the tag; the value is the new one', async () => {
    const v1 = await newSecretVersion('t-sm', 't-sm-1');
    const config = await configure('awsSecretsManager', 'secret', 't-sm');
    await sync(config.id);
    expect(awsTag(h.aws.secrets.get('kv-sync-src/t-sm')?.tags)).toBe(v1);
    const v2 = await newSecretVersion('t-sm', 't-sm-2');
    await sync(config.id);
    const secret = h.aws.secrets.get('kv-sync-src/t-sm');
    expect(awsTag(secret?.tags)).toBe(v2);
    expect(secret?.versions.find((v) => v.stages.includes('AWSCURRENT'))?.value).toBe('t-sm-2');
  });

  test('Parameter Store: AddTagsToResource moves the tag', async () => {
    await newSecretVersion('t-ssm', 't-ssm-1');
    const config = await configure('awsParameterStore', 'secret', 't-ssm');
    await sync(config.id);
    const v2 = await newSecretVersion('t-ssm', 't-ssm-2');
    await sync(config.id);
    const parameter = h.aws.parameters.get('/kv-sync-src/t-ssm');
    expect(parameter).toMatchObject({ value: 't-ssm-2', version: 2 });
    expect(awsTag(parameter?.tags)).toBe(v2);
  });

  test('GCP Secret Manager: the labels update keeps labels added outside Keyward', async () => {
    await newSecretVersion('t-gsm', 't-gsm-1');
    const config = await configure('gcpSecretManager', 'secret', 't-gsm');
    await sync(config.id);
    const stored = () => [...h.gcp.secrets.values()].find((s) => s.id === 'kv-sync-src-t-gsm');
    const first = stored();
    if (!first) throw new Error('not created');
    first.labels = { ...first.labels, team: 'payments' };
    const v2 = await newSecretVersion('t-gsm', 't-gsm-2');
    await sync(config.id);
    expect(stored()?.labels).toMatchObject({ [VERSION_TAG]: v2, team: 'payments', 'managed-by': 'keyward' });
    expect(stored()?.versions).toHaveLength(2);
  });

  test('another Key Vault: the new secret version carries the new tag', async () => {
    await newSecretVersion('t-kv', 't-kv-1');
    const config = await configure('keyVault', 'secret', 't-kv');
    await sync(config.id);
    const v2 = await newSecretVersion('t-kv', 't-kv-2');
    await sync(config.id);
    const target = await h.cloud.secrets(h.vaultUris['kv-sync-dst'] ?? '').getSecret('kv-sync-src-t-kv');
    expect(target.value).toBe('t-kv-2');
    expect(target.properties.tags?.[VERSION_TAG]).toBe(v2);
  });

  test('ACM: a reimport is preceded by AddTagsToCertificate with the new version', async () => {
    await newCertificateVersion('t-acm');
    const config = await configure('awsAcm', 'certificate', 't-acm');
    const record = await sync(config.id);
    const v2 = await newCertificateVersion('t-acm');
    await sync(config.id);
    const imported = h.aws.certificates.get(record?.targetRef ?? '');
    expect(imported?.imports).toBe(2);
    expect(awsTag(imported?.tags)).toBe(v2);
  });

  test('GCP Certificate Manager and a Key Vault certificate: the update carries the new version', async () => {
    await newCertificateVersion('t-gcm');
    const gcm = await configure('gcpCertificateManager', 'certificate', 't-gcm');
    const kv = await configure('keyVault', 'certificate', 't-gcm');
    await sync(gcm.id);
    await sync(kv.id);
    const v2 = await newCertificateVersion('t-gcm');
    await sync(gcm.id);
    await sync(kv.id);
    const stored = [...h.gcp.certificates.values()].find((c) => c.name.endsWith('/certificates/kv-sync-src-t-gcm'));
    expect(stored?.labels[VERSION_TAG]).toBe(v2);
    const target = await h.cloud.certificates(h.vaultUris['kv-sync-dst'] ?? '').getCertificate('kv-sync-src-t-gcm');
    expect(target.properties.tags?.[VERSION_TAG]).toBe(v2);
  });

  test('ACM: an import whose answer is lost is found by its intent tag, not imported twice', async () => {
    await newCertificateVersion('t-lost');
    const config = await configure('awsAcm', 'certificate', 't-lost');
    const mine = () =>
      [...h.aws.certificates.values()].filter((c) =>
        c.tags.some((t) => t.Key === 'keyward-source-name' && t.Value === 't-lost'),
      );
    const since = h.aws.requestLog().length;
    h.aws.setKnobs({ lostResponseRate: 1 });
    try {
      await service.syncConfig(config.id);
      await h.drain();
    } finally {
      h.aws.setKnobs({ lostResponseRate: 0 });
    }
    const imports = h.aws
      .requestLog()
      .slice(since)
      .filter((e) => e.operation === 'ImportCertificate');
    expect(imports).toEqual([expect.objectContaining({ status: 500, fault: 'lostResponse' })]);
    expect(mine()).toHaveLength(1);
    const [record] = await service.records({ configId: config.id });
    expect(record).toMatchObject({ status: 'synced', targetRef: mine()[0]?.arn });
  });
});
