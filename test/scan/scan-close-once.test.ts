import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { emptyProgress } from '../../shared/scan/scan-progress';
import { createScanStore, type ScanStore } from '../../shared/scan/scan-store';
import type { ScanRecord, UnitResult } from '../../shared/scan/scan-types';

/** The close-once rule on real Table Storage: concurrent and duplicate unit reports, concurrent closers. */
describe('scan progress store (Azurite)', () => {
  let azurite: RunningAzurite;
  let store: ScanStore;
  beforeAll(async () => {
    azurite = await startAzurite();
    const table = (name: string) => async () => {
      const client = TableClient.fromConnectionString(azurite.connectionString, name, {
        allowInsecureConnection: true,
      });
      await client.createTable().catch(() => undefined);
      return client;
    };
    store = createScanStore(table('scans'), table('scanprogress'));
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  const record = (scanId: string): ScanRecord => ({
    scanId,
    status: 'running',
    mode: 'full',
    trigger: 'manual',
    correlationId: 'c',
    subscriptionsFilter: null,
    startedAt: new Date().toISOString(),
    completedAt: null,
    durationSeconds: null,
    subscriptionsFound: 0,
    subscriptionsScanned: 0,
    subscriptionsSkipped: [],
    vaultsFound: 0,
    vaultsCarriedOver: 0,
    itemsScanned: 0,
    itemsLeftOut: 0,
    bySeverity: { healthy: 0, warning: 0, severe: 0, critical: 0, expired: 0, noExpiry: 0 },
    outcomes: emptyProgress.outcomes,
  });
  const unit = (i: number): UnitResult => ({
    unitKey: `sub_kv-${i}`,
    kind: 'vault',
    outcome: i % 5 === 0 ? 'forbidden' : 'ok',
    items: i,
    removed: 0,
    subscriptionId: 'sub',
    vaultName: `kv-${i}`,
    deniedKinds: [],
    errorCode: null,
    throttledResponses: 0,
    requests: 3,
    finishedAt: new Date().toISOString(),
  });

  it('counts each unit once under concurrent redelivery, and exactly one closer completes the scan', async () => {
    await store.createScan(record('scan-a'));
    const units = Array.from({ length: 20 }, (_, i) => unit(i));
    // Every unit reported three times at once (the plan finishing midway), as redelivery and races would.
    const reports = await Promise.all([
      ...units.flatMap((u) => [u, u, u]).map((u) => store.recordUnit('scan-a', u)),
      store.markPlannedOnce('scan-a', units.length),
    ]);
    const counted = reports.filter((r) => r?.counted === true).length;
    expect(counted).toBe(20);
    const state = await store.readProgress('scan-a');
    expect(state).toMatchObject({ planned: true, unitsTotal: 20, unitsDone: 20, itemsFound: 190 });
    expect(state.outcomes).toMatchObject({ ok: 16, forbidden: 4 });
    expect(await store.listUnits('scan-a')).toHaveLength(20);

    const closes = await Promise.all(
      Array.from({ length: 8 }, () => store.completeScan('scan-a', { itemsScanned: 190 })),
    );
    expect(closes.filter(Boolean)).toHaveLength(1);
    expect((await store.getScan('scan-a'))?.status).toBe('completed');
  });

  it('lets one of many ready workers claim the close; its owner may claim again, and a stale claim passes on', async () => {
    const now = new Date('2026-11-22T06:00:00Z');
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.claimClose('scan-c', `sub_kv-${i}`, now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const owner = `sub_kv-${claims.indexOf(true)}`;
    const other = owner === 'sub_kv-0' ? 'sub_kv-1' : 'sub_kv-0';
    // The owner's message redelivered after a failed close resumes it; the others still may not.
    expect(await store.claimClose('scan-c', owner, new Date(now.getTime() + 60_000))).toBe(true);
    expect(await store.claimClose('scan-c', other, new Date(now.getTime() + 60_000))).toBe(false);
    // Past the function timeout the owner is gone: the next ready worker takes the close over, once.
    const later = new Date(now.getTime() + 11 * 60_000);
    const takeovers = await Promise.all([
      store.claimClose('scan-c', other, later),
      store.claimClose('scan-c', 'plan', later),
    ]);
    expect(takeovers.filter(Boolean)).toHaveLength(1);
  });

  it('starts one scan when two triggers race, and a third joins it', async () => {
    const [a, b] = await Promise.all([
      store.startOrJoin(record('scan-b1'), () => true, false),
      store.startOrJoin(record('scan-b2'), () => true, false),
    ]);
    expect([a.started, b.started].filter(Boolean)).toHaveLength(1);
    expect(a.scan.scanId).toBe(b.scan.scanId);
    const c = await store.startOrJoin(record('scan-b3'), () => true, false);
    expect(c).toMatchObject({ started: false, scan: { scanId: a.scan.scanId } });
  });
});
