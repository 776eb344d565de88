import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import { configInputSchema, type SyncConfigInput } from '../../shared/sync/sync-schemas';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };
const ROLE = 'arn:aws:iam::123456789012:role/keyward-sync';
const SOURCE_KEY = 'AKIAROLESOURCE001';

/**
 * An AWS connection with a role: the stored access key may only call STS (the simulator refuses it everywhere
 * else, as an IAM user allowed only sts:AssumeRole would be), so a synced target proves the assumed role's
 * temporary credentials signed the writes.
 */
describe('AWS role to assume (STS AssumeRole), real SDKs against the simulators', () => {
  let h: SyncHarness;
  let service: SyncService;
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
    h.aws.roles.set(ROLE, { arn: ROLE, externalId: 'keyward-tenant-1' });
    h.aws.sourceOnlyKeys.add(SOURCE_KEY);
    await h.source.setSecret('role-a', 'role-a-value-1');
  });
  afterAll(async () => h?.stop());

  const config = (name: string, externalId: string): SyncConfigInput => ({
    name,
    provider: 'awsSecretsManager',
    enabled: true,
    connection: { aws: { region: 'us-east-1', accessKeyId: SOURCE_KEY, roleArn: ROLE, externalId } },
    credentials: { awsSecretAccessKey: 'role-source-secret-key-0001' },
    rules: [
      {
        sourceVaults: ['kv-sync-src'],
        namePattern: 'role-*',
        tags: {},
        kinds: ['secret'],
        nameTemplate: `${name}/{name}`,
        gcpReplicationLocations: [],
        deleteBehaviour: 'keep',
        recoveryWindowDays: 30,
      },
    ],
  });

  test('the targets are written with the assumed role’s credentials, asked for once', async () => {
    const since = h.aws.requestLog().length;
    const saved = await service.create(admin, config('with-role', 'keyward-tenant-1'));
    expect(saved.connection.aws).toMatchObject({ roleArn: ROLE, externalId: 'keyward-tenant-1' });
    await service.syncConfig(saved.id);
    expect(await h.drain()).toEqual(['synced']);
    expect(h.aws.secrets.get('with-role/role-a')?.versions[0]?.value).toBe('role-a-value-1');
    const log = h.aws.requestLog().slice(since);
    expect(log.filter((e) => e.service === 'sts')).toEqual([
      expect.objectContaining({ operation: 'AssumeRole', target: ROLE, status: 200 }),
    ]);
    expect(log.filter((e) => e.service === 'secretsmanager').every((e) => e.status === 200 || e.status === 400)).toBe(
      true,
    );
    expect([...h.aws.sessions.values()].map((s) => s.sessionName)).toContain('keyward-sync');
  });

  test('a wrong external id is STS’s AccessDenied: the record fails at once and nothing is written', async () => {
    const saved = await service.create(admin, config('wrong-id', 'keyward-tenant-2'));
    await service.syncConfig(saved.id);
    expect(await h.drain()).toEqual(['failed']);
    expect((await service.records({ configId: saved.id }))[0]).toMatchObject({
      status: 'failed',
      lastError: 'AccessDenied',
    });
    expect(h.aws.secrets.has('wrong-id/role-a')).toBe(false);
  });

  test('the API schema refuses a role ARN that is not a role, a short external id, a bad session name', () => {
    const good = config('shape', 'keyward-tenant-1');
    const withAws = (patch: Record<string, string>) =>
      configInputSchema.safeParse({ ...good, connection: { aws: { ...good.connection.aws, ...patch } } }).success;
    expect(withAws({})).toBe(true);
    expect(withAws({ roleArn: 'arn:aws:iam::123456789012:user/someone' })).toBe(false);
    expect(withAws({ roleArn: 'arn:aws:iam::12345:role/short-account' })).toBe(false);
    expect(withAws({ externalId: 'x' })).toBe(false);
    expect(withAws({ roleSessionName: 'has space' })).toBe(false);
  });
});
