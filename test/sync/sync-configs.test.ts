import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SyncInvalidError } from '../../shared/sync/sync-errors';
import type { SyncConfigInput } from '../../shared/sync/sync-schemas';
import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };
const SECRET_KEY = 'first-secret-access-key-000001';

describe('sync configs: credentials in Key Vault, destinations, dry run', () => {
  let h: SyncHarness;
  let service: SyncService;
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
  });
  afterAll(async () => h?.stop());

  const input = (region: string, secretAccessKey?: string): SyncConfigInput => ({
    name: 'aws',
    provider: 'awsSecretsManager',
    enabled: false,
    connection: { aws: { region, accessKeyId: 'AKIAKEYWARD00009' } },
    ...(secretAccessKey ? { credentials: { awsSecretAccessKey: secretAccessKey } } : {}),
    rules: [
      {
        sourceVaults: ['kv-sync-src'],
        namePattern: 'dry-*',
        tags: {},
        kinds: ['secret'],
        nameTemplate: '{vault}/{name}',
        gcpReplicationLocations: [],
        deleteBehaviour: 'keep',
        recoveryWindowDays: 30,
      },
    ],
  });

  test('credentials go to Keyward’s Key Vault, are never returned, and stay with their destination', async () => {
    const created = await service.create(admin, input('us-east-1', SECRET_KEY));
    expect(created.hasCredentials).toBe(true);
    expect(JSON.stringify(await service.list())).not.toContain(SECRET_KEY);
    const stored = await h.cloud.secrets(h.vaultUris['kv-keyward'] ?? '').getSecret(`keyward-sync-${created.id}`);
    expect(JSON.parse(stored.value ?? '{}')).toEqual({ awsSecretAccessKey: SECRET_KEY });

    // Same destination, no credentials sent: kept. Another region without credentials: refused, nothing changes.
    expect((await service.update(admin, created.id, input('us-east-1'))).hasCredentials).toBe(true);
    await expect(service.update(admin, created.id, input('eu-west-1'))).rejects.toBeInstanceOf(SyncInvalidError);
    expect((await service.list()).find((c) => c.id === created.id)?.connection.aws?.region).toBe('us-east-1');
    const moved = await service.update(admin, created.id, input('eu-west-1', 'second-secret-access-key-00002'));
    expect(moved).toMatchObject({ hasCredentials: true, connection: { aws: { region: 'eu-west-1' } } });
    expect(h.audits.filter((a) => a.action.startsWith('sync.config')).map((a) => a.action)).toEqual([
      'sync.config.created',
      'sync.config.updated',
      'sync.config.updated',
    ]);
    expect(JSON.stringify(h.audits)).not.toContain(SECRET_KEY);
  });

  test('bad input is a clear refusal: a GCP key that is not a key, a target vault at a metadata address', async () => {
    await expect(
      service.create(admin, {
        ...input('us-east-1'),
        provider: 'gcpSecretManager',
        connection: { gcp: { projectId: 'sync-project', location: 'global' } },
        credentials: { gcpServiceAccountKey: '{"type":"user"}' },
      }),
    ).rejects.toBeInstanceOf(SyncInvalidError);
    await expect(
      service.create(admin, {
        ...input('us-east-1'),
        provider: 'keyVault',
        connection: { keyVault: { vaultUri: 'https://169.254.169.254/' } },
      }),
    ).rejects.toBeInstanceOf(SyncInvalidError);
    await expect(service.create(admin, input('us-east-1'))).rejects.toBeInstanceOf(SyncInvalidError);
  });

  test('the dry run shows create and conflict, and writes nothing anywhere', async () => {
    await h.source.setSecret('dry-new', 'v');
    await h.source.setSecret('dry-theirs', 'v');
    const outsider = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: h.aws.endpoint,
      credentials: { accessKeyId: 'AKIAOUTSIDER0001', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await outsider.send(new CreateSecretCommand({ Name: 'kv-sync-src/dry-theirs', SecretString: 'theirs' }));
    const config = await service.create(admin, input('us-east-1', SECRET_KEY));
    const mark = h.aws.requestLog().length;
    const sentBefore = h.sent.length;
    const diff = await service.dryRun(config.id);
    expect(diff.entries.map((e) => [e.sourceName, e.action])).toEqual([
      ['dry-new', 'create'],
      ['dry-theirs', 'conflict'],
    ]);
    expect(diff.counts).toMatchObject({ create: 1, conflict: 1 });
    expect(
      h.aws
        .requestLog()
        .slice(mark)
        .filter((e) => e.write),
    ).toEqual([]);
    expect(h.sent.length).toBe(sentBefore);
    expect(await service.records({ configId: config.id })).toEqual([]);
  });
});
