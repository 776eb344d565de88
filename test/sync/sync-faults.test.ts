import { TableServiceClient, TableClient } from '@azure/data-tables';
import { createSyncService, type SyncService } from '../../shared/sync/sync-service';
import type { SyncConfigInput, SyncProviderKind } from '../../shared/sync/sync-schemas';
import { startSyncHarness, type SyncHarness } from '../../dev/cloud-sim/sync-stack';

const admin = { type: 'user' as const, id: 'admin-1', name: 'Admin' };
const COUNT = 200;
const marker = (i: number, round: number) => `S3CR3T-${round}-${String(i).padStart(3, '0')}-q9x`;
const name = (i: number) => `f-${String(i).padStart(3, '0')}`;

function config(provider: SyncProviderKind, h: SyncHarness): SyncConfigInput {
  const rule = {
    sourceVaults: ['kv-sync-src'],
    namePattern: 'f-*',
    tags: {},
    kinds: ['secret' as const],
    nameTemplate: '{vault}/{name}',
    gcpReplicationLocations: [],
    deleteBehaviour: 'keep' as const,
    recoveryWindowDays: 30,
  };
  return provider === 'awsSecretsManager'
    ? {
        name: 'aws',
        provider,
        enabled: true,
        connection: { aws: { region: 'us-east-1', accessKeyId: 'AKIAKEYWARD00002' } },
        credentials: { awsSecretAccessKey: 'keyward-secret-access-key-0002' },
        rules: [rule],
      }
    : {
        name: 'gcp',
        provider,
        enabled: true,
        connection: { gcp: { projectId: 'sync-project', location: 'global' } },
        credentials: { gcpServiceAccountKey: h.gcpKey },
        rules: [rule],
      };
}

describe('a sync of 200 secrets through faults, real SDKs against the simulators', () => {
  let h: SyncHarness;
  let service: SyncService;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await startSyncHarness();
    service = createSyncService(h.deps);
    for (let i = 0; i < COUNT; i++) await h.source.setSecret(name(i), marker(i, 1));
    ids.aws = (await service.create(admin, config('awsSecretsManager', h))).id;
    ids.gcp = (await service.create(admin, config('gcpSecretManager', h))).id;
  });
  afterAll(async () => h?.stop());

  const gcpValues = (i: number) =>
    [...h.gcp.secrets.values()]
      .find((s) => s.id === `kv-sync-src-${name(i)}`)
      ?.versions.map((v) => Buffer.from(v.data, 'base64').toString());
  const awsValues = (i: number) => h.aws.secrets.get(`kv-sync-src/${name(i)}`)?.versions.map((v) => v.value);

  test('10% 500s, lost responses and a throttling storm end with every target at the right version exactly once', async () => {
    h.aws.setKnobs({ seed: 7, error500Rate: 0.1, lostResponseRate: 0.1, throttleRate: 0.3 });
    h.gcp.setKnobs({ seed: 11, error500Rate: 0.1, lostResponseRate: 0.1, throttleRate: 0.3 });
    await service.syncConfig(ids.aws ?? '');
    await service.syncConfig(ids.gcp ?? '');
    const outcomes = await h.drain();
    expect(outcomes.filter((o) => o === 'synced')).toHaveLength(2 * COUNT);
    for (let i = 0; i < COUNT; i++) {
      expect(awsValues(i)).toEqual([marker(i, 1)]);
      expect(gcpValues(i)).toEqual([marker(i, 1)]);
    }
    // The storm was real: faults were injected on both sides.
    expect(h.aws.requestLog().filter((e) => e.fault === 'lostResponse').length).toBeGreaterThan(5);
    expect(h.gcp.requestLog().filter((e) => e.fault === 'throttled').length).toBeGreaterThan(5);

    // A second version of 50 sources: one more version each, still exactly once.
    for (let i = 0; i < 50; i++) await h.source.setSecret(name(i), marker(i, 2));
    await service.syncConfig(ids.aws ?? '');
    await service.syncConfig(ids.gcp ?? '');
    await h.drain();
    for (let i = 0; i < COUNT; i++) {
      const expected = i < 50 ? [marker(i, 1), marker(i, 2)] : [marker(i, 1)];
      expect(awsValues(i)).toEqual(expected);
      expect(gcpValues(i)).toEqual(expected);
    }
    const records = await service.records({});
    expect(records.every((r) => r.status === 'synced')).toBe(true);
  });

  test('no value in audit entries, alerts, queue messages, tables, API views or the simulators’ request logs', async () => {
    const values = Array.from({ length: COUNT }, (_, i) => [marker(i, 1), marker(i, 2)]).flat();
    const leaks = (text: string) => values.filter((v) => text.includes(v));
    expect(leaks(JSON.stringify(h.audits))).toEqual([]);
    expect(leaks(JSON.stringify(h.alerts))).toEqual([]);
    expect(leaks(JSON.stringify(h.sent))).toEqual([]);
    expect(leaks(JSON.stringify(await service.records({})))).toEqual([]);
    expect(leaks(JSON.stringify(await service.history({ limit: 500 })))).toEqual([]);
    expect(leaks(JSON.stringify(await service.list()))).toEqual([]);
    expect(leaks(JSON.stringify(h.aws.requestLog()))).toEqual([]);
    expect(leaks(JSON.stringify(h.gcp.requestLog()))).toEqual([]);
    // Every table in storage, every entity: neither values nor the provider credentials.
    const tables = TableServiceClient.fromConnectionString(h.azurite.connectionString, {
      allowInsecureConnection: true,
    });
    let dump = '';
    for await (const t of tables.listTables()) {
      const client = TableClient.fromConnectionString(h.azurite.connectionString, t.name ?? '', {
        allowInsecureConnection: true,
      });
      for await (const e of client.listEntities()) dump += JSON.stringify(e);
    }
    expect(dump.length).toBeGreaterThan(1000);
    expect(leaks(dump)).toEqual([]);
    expect(dump).not.toContain('keyward-secret-access-key-0002');
    expect(dump).not.toContain('PRIVATE KEY');
  });
});
