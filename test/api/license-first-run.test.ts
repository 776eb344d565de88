import { TableClient } from '@azure/data-tables';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

type Rows = Record<string, { partitionKey?: string; rowKey?: string; action?: string }[]>;

const actions = (tables: Rows): string[] => Object.values(tables).flatMap((rows) => rows.map((r) => r.action ?? ''));

/** Issue 18, item 6: the licence outside HTTP, through the host's timers and the first request of any kind. */
describe('licence on the first run and on scheduled work', () => {
  let fresh: KeywardStack;
  let expired: KeywardStack;
  beforeAll(async () => {
    [fresh, expired] = await Promise.all([
      startKeywardStack(),
      startKeywardStack({
        seed: async (connectionString) => {
          const table = TableClient.fromConnectionString(connectionString, 'KeywardLicense', {
            allowInsecureConnection: true,
          });
          await table.createTable();
          const startedAt = new Date(Date.now() - 15 * 86_400_000).toISOString();
          await table.createEntity({ partitionKey: 'license', rowKey: 'trial', startedAt });
        },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fresh?.stop(), expired?.stop()]);
  });

  it('starts the trial at the first run, even when that is an anonymous health probe', async () => {
    expect(((await fresh.snapshotTables()) as Rows).KeywardLicense).toBeUndefined();
    expect((await fetch(`${fresh.url}/health`)).status).toBe(200);
    const tables = (await fresh.snapshotTables()) as Rows;
    expect(tables.KeywardLicense).toEqual([expect.objectContaining({ partitionKey: 'license', rowKey: 'trial' })]);
    expect(actions(tables)).toContain('license.trialStarted');
  });

  it('after the trial, the scan timer starts nothing and license.trialExpired is audited once; the export still works', async () => {
    const fire = () =>
      fetch(`${expired.url}/admin/functions/scanSchedule`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"input":""}',
      });
    expect((await fire()).status).toBe(202);
    let tables = (await expired.snapshotTables()) as Rows;
    for (let i = 0; i < 200 && !tables.KeywardLicense?.some((r) => r.rowKey === 'trialExpired'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      tables = (await expired.snapshotTables()) as Rows;
    }
    expect((await fire()).status).toBe(202);
    const admin = await expired.signIn({ email: 'admin@example.com', roles: ['admin'] });
    const exported = await fetch(`${expired.url}/api/audit/export?format=csv`, { headers: { cookie: admin } });
    expect(exported.status).toBe(200);
    const scans = await fetch(`${expired.url}/api/assets/discovery/scans`, { headers: { cookie: admin } });
    expect(scans.status).toBe(402);
    tables = (await expired.snapshotTables()) as Rows;
    expect(actions(tables).filter((a) => a === 'license.trialExpired')).toEqual(['license.trialExpired']);
    expect(actions(tables).filter((a) => a.startsWith('discovery.scan'))).toEqual([]);
    expect(Object.keys(tables).filter((name) => /scan/i.test(name))).toEqual([]);
  });
});
