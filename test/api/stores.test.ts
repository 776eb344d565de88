import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createLicenseService } from '../../shared/license/license-service';
import { createLicenseStore, LICENSE_TABLE } from '../../shared/license/license-store';
import { StoreError } from '../../shared/runtime/store-errors';
import { evenSplits, listInRanges } from '../../shared/runtime/table-ranges';
import { createGrantStore } from '../../shared/scan/shared-budget';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { createSettingsResolver, defineSetting } from '../../shared/settings/settings-resolver';
import { createSettingsStore, SETTINGS_TABLE } from '../../shared/settings/settings-store';
import { fixedClock } from '../../shared/time/clock';

/** The Table Storage side of settings and licensing, through the real SDK against Azurite. */
describe('stores against Azurite', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  it('resolves a setting from Table Storage, then the app setting, then the default, reporting the source', async () => {
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const store = createSettingsStore({ table: () => storage.table(SETTINGS_TABLE), clock });
    const env = { KEYWARD_RATE_LIMIT_WRITE: '50' };
    const resolver = createSettingsResolver({ source: store, env });
    const spec = defineSetting({
      key: 'writeLimit',
      schema: z.number().int().positive(),
      appSetting: 'KEYWARD_RATE_LIMIT_WRITE',
      default: 120,
    });
    expect(await resolver.resolve(spec)).toEqual({ value: 50, source: 'appSetting' });
    await store.set('writeLimit', 7, 'admin@example.com');
    expect(await resolver.resolve(spec)).toEqual({ value: 7, source: 'table' });
    await store.remove('writeLimit');
    expect(await createSettingsResolver({ source: store, env: {} }).resolve(spec)).toEqual({
      value: 120,
      source: 'default',
    });
  });

  it('records the trial start once: a restarted app (new clients, later clock) keeps it', async () => {
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const first = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const before = createLicenseService({
      tier: 'trial',
      clock,
      store: createLicenseStore(() => first.table(LICENSE_TABLE)),
    });
    expect((await before.status()).trialExpiresAt).toBe('2026-06-15T00:00:00.000Z');

    clock.advance(20 * 86_400_000);
    const second = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const after = createLicenseService({
      tier: 'trial',
      clock,
      store: createLicenseStore(() => second.table(LICENSE_TABLE)),
    });
    expect(await after.status()).toMatchObject({
      trialActive: false,
      trialExpiresAt: '2026-06-15T00:00:00.000Z',
      daysRemaining: 0,
    });
  });

  it('wraps storage failures into StoreError without the SDK details', async () => {
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const unreachable = azurite.connectionString.replace(
      /TableEndpoint=http:\/\/127\.0\.0\.1:\d+/,
      'TableEndpoint=http://127.0.0.1:1',
    );
    const storage = createStorageClients({ AzureWebJobsStorage: unreachable });
    const store = createSettingsStore({ table: () => storage.table(SETTINGS_TABLE), clock });
    const failure = await store.get('x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect(String((failure as Error).message)).not.toContain('AccountKey');
  });

  it('reads every row of a table exactly once in parallel partition ranges, whatever the splits', async () => {
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const client = await storage.table('rangetest');
    const partitions = ['a', 'b_1', 'b_2', 'c', 'entra_x', 'zz'];
    for (const pk of partitions) {
      await client.submitTransaction(
        Array.from({ length: 30 }, (_, i): TransactionAction => [
          'create',
          { partitionKey: pk, rowKey: `r${i}`, n: i, other: 'x' },
        ]),
      );
    }
    const all = partitions.flatMap((pk) => Array.from({ length: 30 }, (_, i) => `${pk}/r${i}`)).sort();
    const read = (splits: string[]) =>
      listInRanges(client, 'test.read', splits, ['n'], (e) => `${String(e.partitionKey)}/${String(e.rowKey)}`);
    // Splits on stored keys, between them, before and after all of them, and none at all.
    for (const splits of [[], ['b_2'], ['b', 'c', 'd'], ['0', '~'], evenSplits(['b_1', 'c', 'zz', 'a'], 3)]) {
      expect((await read(splits)).sort()).toEqual(all);
    }
    // Only the selected properties come back.
    const rows = await listInRanges(client, 'test.read', ['c'], ['n'], (e) => e);
    expect(rows).toHaveLength(all.length);
    expect(rows.every((e) => typeof e.n === 'number' && e.other === undefined)).toBe(true);
  });

  it('splits keys into ranges of about the same size', () => {
    expect(evenSplits(['d', 'a', 'c', 'b', 'a'], 2)).toEqual(['c']);
    expect(evenSplits(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 4)).toEqual(['c', 'e', 'g']);
    expect(evenSplits(['only'], 16)).toEqual([]);
    expect(evenSplits([], 16)).toEqual([]);
  });

  it('hands out a window of a shared request budget at most once across concurrent claimants', async () => {
    // Two instances: separate clients (and so separate caches) on one table.
    const grants = [0, 1].map(() => {
      const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
      return createGrantStore(() => storage.table('budgettest'));
    });
    const [first, second] = grants;
    if (!first || !second) throw new Error('two grant stores');
    const claims = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).claim('kvsub/s-1', 7, 3, 50, 0)),
    );
    expect(claims.reduce((sum, c) => sum + c.granted, 0)).toBe(50);
    expect(claims.filter((c) => c.granted === 0).length).toBeGreaterThan(0);
    // Another window and another key start from zero.
    expect(await first.claim('kvsub/s-1', 8, 3, 50, 0)).toEqual({ granted: 3, pausedUntil: 0 });
    expect(await second.claim('arm/s-1', 7, 3, 50, 0)).toEqual({ granted: 3, pausedUntil: 0 });

    // A pause one instance records holds the other off until it ends; a shorter pause does not cut it short.
    await first.pause('kvsub/s-1', 9, 5_000);
    await second.pause('kvsub/s-1', 9, 4_000);
    expect(await second.claim('kvsub/s-1', 9, 3, 50, 4_999)).toEqual({ granted: 0, pausedUntil: 5_000 });
    expect(await second.claim('kvsub/s-1', 9, 3, 50, 5_000)).toEqual({ granted: 3, pausedUntil: 5_000 });
  });
});
