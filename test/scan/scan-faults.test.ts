import { TableClient } from '@azure/data-tables';
import { ServiceBusClient } from '@azure/service-bus';
import { defaultKnobs } from '../../dev/azure-sim/sim-knobs';
import { queues } from '../../shared/config/queues';
import { fixedClock } from '../../shared/time/clock';
import { expectedScan, loadDemoTenant } from './scan-expected';
import { startScanStack, type ScanStack } from './scan-stack';

/**
 * The demo tenant under 10% injected faults (500/503/connection resets on every API), tiny Key Vault buckets that
 * answer 429 storms, and 2-item ARM pages. The scan must finish with the same result as a clean one, each item
 * stored once; delivering every unit message again afterwards must change no table.
 */
describe('scan under faults and throttling', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const faults = {
    error500Rate: 0.04,
    error503Rate: 0.04,
    resetRate: 0.02,
    latencyMs: 2,
    jitterMs: 3,
    slowRate: 0,
    slowMs: 0,
  };
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({
      tenant: 'demo',
      clock: fixedClock(t0),
      knobs: {
        apis: { keyvault: faults, arm: faults, graph: faults },
        // Tiny read buckets so 429 storms occur; writes and Graph keep their documented limits.
        throttling: {
          ...defaultKnobs.throttling,
          keyVaultPerVault: { capacity: 4, refillPerSecond: 2 },
          keyVaultPerSubscription: { capacity: 10, refillPerSecond: 5 },
          armReadsPerSubscription: { capacity: 5, refillPerSecond: 3 },
        },
        armPageSize: 2,
        seed: 7,
      },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const table = (name: string) =>
    TableClient.fromConnectionString(s.stack.azurite.connectionString, name, { allowInsecureConnection: true });
  async function rows(name: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of table(name).listEntities()) out.push(e);
    return out;
  }

  it('finishes with every item stored exactly once, and redelivered unit messages change nothing', async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    const scan = await s.waitForScan(trigger.body.scanId, 110_000);
    const expected = expectedScan(loadDemoTenant(), t0, new Date(scan.completedAt ?? ''));
    const log = s.sim.requestLog();
    expect(log.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(log.filter((r) => r.fault === 'error' || r.fault === 'reset').length).toBeGreaterThan(0);

    expect(scan.counts).toEqual(expected.bySeverity);
    expect(scan.itemsScanned).toBe(expected.items);
    const { ok = 0, throttled = 0, ...others } = scan.outcomes;
    const { ok: expectedOk = 0, throttled: _none, ...expectedOthers } = expected.outcomeCounts;
    expect(ok + throttled).toBe(expectedOk);
    expect(others).toEqual(expectedOthers);

    const items = await rows('inventory');
    const identities = items.map(
      (e) => `${String(e.vaultName ?? e.appObjectId)}|${String(e.type)}|${String(e.name)}|${String(e.version)}`,
    );
    expect(items).toHaveLength(expected.items);
    expect(new Set(identities).size).toBe(items.length);

    // Deliver every unit of the finished scan again, with fresh message ids so the broker does not drop them.
    // The scan's own tables (notifications react to scan-completed on their own schedule and are not compared).
    const scanTables = [
      'inventory',
      'inventoryexpiry',
      'inventorysummary',
      'scans',
      'scanprogress',
      'vaults',
      'subscriptions',
    ];
    const snapshot = async () =>
      Object.fromEntries(Object.entries(await s.stack.snapshotTables()).filter(([name]) => scanTables.includes(name)));
    const before = await snapshot();
    expect(Object.keys(before).sort()).toEqual([...scanTables].sort());
    const vaults = await rows('vaults');
    const bus = new ServiceBusClient(s.stack.serviceBus.connectionString);
    const sender = bus.createSender(queues.scanVault.name);
    const units = vaults.map((v) => ({
      kind: 'vault',
      scanId: scan.scanId,
      unitKey: `${String(v.partitionKey)}_${String(v.rowKey)}`,
      subscriptionId: v.subscriptionId,
      subscriptionName: v.subscriptionName,
      vaultName: v.vaultName,
      vaultId: v.vaultId,
      vaultUri: v.vaultUri,
      resourceGroup: v.resourceGroup,
      vaultTags: JSON.parse(String(v.tags ?? '{}')) as Record<string, string>,
      networkRestricted: v.networkRestricted === true,
    }));
    // Only successful executions count as done: a unit that failed (and will be redelivered) is not done.
    const executed = (): number =>
      (s.stack.host.output().match(/\[scanUnit [^\]]+\] \(system\) Executed \(Succeeded/g) ?? []).length;
    const done = executed();
    await sender.sendMessages(
      units.map((body, i) => ({ body, messageId: `again-${i}`, contentType: 'application/json' })),
    );
    await sender.close();
    await bus.close();
    const until = Date.now() + 30_000;
    while (executed() < done + units.length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(executed()).toBeGreaterThanOrEqual(done + units.length);
    expect(await snapshot()).toEqual(before);
  });
});
