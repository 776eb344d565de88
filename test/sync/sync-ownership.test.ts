import {
  SecretsManagerClient,
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import type { SyncConfigInput } from '../../shared/sync/sync-schemas';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };

describe('sync ownership and safety, real SDKs against the simulators', () => {
  let h: SyncHarness;
  let service: SyncService;
  let aws: SecretsManagerClient;
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
    aws = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: h.aws.endpoint,
      credentials: { accessKeyId: 'AKIAOUTSIDER0000', secretAccessKey: 'outsider-secret-key-0000' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => h?.stop());

  const awsConfig = (
    name: string,
    namePattern: string,
    deleteBehaviour: 'keep' | 'delete' = 'keep',
  ): SyncConfigInput => ({
    name,
    provider: 'awsSecretsManager',
    enabled: true,
    connection: { aws: { region: 'us-east-1', accessKeyId: 'AKIAKEYWARD00001' } },
    credentials: { awsSecretAccessKey: 'keyward-secret-access-key-0001' },
    rules: [
      {
        sourceVaults: ['kv-sync-src'],
        namePattern,
        tags: {},
        kinds: ['secret'],
        nameTemplate: '{vault}/{name}',
        gcpReplicationLocations: [],
        deleteBehaviour,
        recoveryWindowDays: 7,
      },
    ],
  });
  const writes = (since: number) =>
    h.aws
      .requestLog()
      .slice(since)
      .filter((e) => e.write);

  test('creates tagged targets, then a second run with no source change sends no write', async () => {
    await h.source.setSecret('own-a', 'value-own-a-1');
    await h.source.setSecret('own-b', 'value-own-b-1');
    const config = await service.create(admin, awsConfig('own', 'own-*'));
    expect(await service.syncConfig(config.id)).toBe(2);
    expect(await h.drain()).toEqual(['synced', 'synced']);
    const secret = h.aws.secrets.get('kv-sync-src/own-a');
    expect(secret?.tags).toEqual(
      expect.arrayContaining([
        { Key: 'managed-by', Value: 'keyward' },
        { Key: 'keyward-source-vault', Value: 'kv-sync-src' },
        { Key: 'keyward-source-name', Value: 'own-a' },
      ]),
    );
    const value = await aws.send(new GetSecretValueCommand({ SecretId: 'kv-sync-src/own-a' }));
    expect(value.SecretString).toBe('value-own-a-1');

    const before = h.aws.requestLog().length;
    await service.syncConfig(config.id);
    await h.drain();
    expect(h.aws.requestLog().length).toBe(before);

    // A new source version is one value write (after the tag that names it), then nothing again.
    await h.source.setSecret('own-a', 'value-own-a-2');
    const mark = h.aws.requestLog().length;
    await service.syncConfig(config.id);
    await h.drain();
    expect(writes(mark).map((e) => e.operation)).toEqual(['TagResource', 'PutSecretValue']);
    expect((await aws.send(new GetSecretValueCommand({ SecretId: 'kv-sync-src/own-a' }))).SecretString).toBe(
      'value-own-a-2',
    );
  });

  test('an unowned target is never changed, and raises one sync_conflict', async () => {
    await aws.send(new CreateSecretCommand({ Name: 'kv-sync-src/theirs-x', SecretString: 'not-keyward' }));
    await h.source.setSecret('theirs-x', 'value-theirs-1');
    const config = await service.create(admin, awsConfig('theirs', 'theirs-*', 'delete'));
    const mark = h.aws.requestLog().length;
    const alertsBefore = h.alerts.length;
    await service.syncConfig(config.id);
    expect(await h.drain()).toEqual(['conflict']);
    await h.source.setSecret('theirs-x', 'value-theirs-2');
    await service.syncConfig(config.id);
    await h.drain();
    expect(writes(mark)).toEqual([]);
    expect((await aws.send(new GetSecretValueCommand({ SecretId: 'kv-sync-src/theirs-x' }))).SecretString).toBe(
      'not-keyward',
    );
    const conflicts = h.alerts.slice(alertsBefore).filter((a) => a.alertType === 'sync_conflict');
    expect(conflicts).toHaveLength(1);
    const [record] = await service.records({ configId: config.id });
    expect(record).toMatchObject({ status: 'conflict', reason: expect.stringContaining('managed-by=keyward') });

    // Deleting the source with deletes on still leaves an unowned target alone.
    await h.source.beginDeleteSecret('theirs-x');
    await service.syncConfig(config.id);
    await h.drain();
    expect(writes(mark)).toEqual([]);
    expect(h.aws.secrets.get('kv-sync-src/theirs-x')?.deletedAt).toBeUndefined();
  });

  test('a target changed outside Keyward is a conflict and is left as it is', async () => {
    await h.source.setSecret('moved-y', 'value-moved-1');
    const config = await service.create(admin, awsConfig('moved', 'moved-*'));
    await service.syncConfig(config.id);
    expect(await h.drain()).toEqual(['synced']);
    await aws.send(new PutSecretValueCommand({ SecretId: 'kv-sync-src/moved-y', SecretString: 'changed-by-hand' }));
    await h.source.setSecret('moved-y', 'value-moved-2');
    const mark = h.aws.requestLog().length;
    await service.syncConfig(config.id);
    expect(await h.drain()).toEqual(['conflict']);
    expect(writes(mark)).toEqual([]);
    expect((await aws.send(new GetSecretValueCommand({ SecretId: 'kv-sync-src/moved-y' }))).SecretString).toBe(
      'changed-by-hand',
    );
    const [record] = await service.records({ configId: config.id });
    expect(record?.reason).toMatch(/changed outside Keyward/);
  });

  test('a deleted source: deletes on schedule deletion with a recovery window; deletes off keep the target', async () => {
    await h.source.setSecret('gone-on', 'value-gone-on');
    await h.source.setSecret('gone-off', 'value-gone-off');
    const on = await service.create(admin, awsConfig('deletes on', 'gone-on', 'delete'));
    const off = await service.create(admin, awsConfig('deletes off', 'gone-off', 'keep'));
    await service.syncConfig(on.id);
    await service.syncConfig(off.id);
    await h.drain();
    await h.source.beginDeleteSecret('gone-on');
    await h.source.beginDeleteSecret('gone-off');
    const mark = h.aws.requestLog().length;
    await service.syncConfig(on.id);
    await service.syncConfig(off.id);
    await h.drain();
    expect(writes(mark).map((e) => e.operation)).toEqual(['DeleteSecret']);
    expect(writes(mark)[0]?.target).toMatch(/:secret:kv-sync-src\/gone-on-/);
    const deleted = h.aws.secrets.get('kv-sync-src/gone-on');
    expect(deleted?.deletedAt).toBeDefined();
    expect(((deleted?.deletionDate?.getTime() ?? 0) - (deleted?.deletedAt?.getTime() ?? 0)) / 86_400_000).toBe(7);
    expect(h.aws.secrets.get('kv-sync-src/gone-off')?.deletedAt).toBeUndefined();
    expect((await service.records({ configId: on.id }))[0]?.status).toBe('deletionScheduled');
    expect((await service.records({ configId: off.id }))[0]).toMatchObject({
      status: 'retained',
      reason: expect.stringMatching(/deletes are off/),
    });
  });

  test('disabled and expired source versions are not pushed; keys are listed as skipped', async () => {
    await h.source.setSecret('skip-disabled', 'v', { enabled: false });
    await h.source.setSecret('skip-expired', 'v', { expiresOn: new Date(Date.now() - 86_400_000) });
    const config = await service.create(admin, {
      ...awsConfig('skips', 'skip-*'),
    });
    const mark = h.aws.requestLog().length;
    expect(await service.syncConfig(config.id)).toBe(0);
    expect(h.aws.requestLog().length).toBe(mark);
    const records = await service.records({ configId: config.id });
    expect(records.map((r) => [r.sourceName, r.status, r.reason])).toEqual([
      ['skip-disabled', 'skipped', 'the source version is disabled'],
      ['skip-expired', 'skipped', 'the source version has expired'],
    ]);
  });
});
