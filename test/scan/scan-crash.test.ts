import { TableClient } from '@azure/data-tables';
import { startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { queues } from '../../shared/config/queues';
import { fixedClock } from '../../shared/time/clock';
import { APP_DIR } from '../support/keyward-stack';
import { expectedScan, loadDemoTenant } from './scan-expected';
import { startScanStack, type ScanStack } from './scan-stack';

/**
 * A process crash, not a thrown error: two hosts share storage and the bus (as `bench:scan --instances 2` runs
 * them); one is SIGKILLed while it holds scan units. Its locks are not released by the crash — the broker redelivers
 * those messages once their lock expires (a short lock here, read from the queue list as Service Bus does), and the
 * survivor finishes the scan with exactly the counts of a clean scan, each unit counted once.
 */
const LOCK_SECONDS = 8;

describe('a host killed in the middle of a scan', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  let s: ScanStack;
  let second: HostProcess;
  beforeAll(async () => {
    s = await startScanStack(
      {
        tenant: 'demo',
        clock: fixedClock(t0),
        // Slow vault answers, so the victim is mid-unit when it dies.
        knobs: { apis: { keyvault: { latencyMs: 400, jitterMs: 0 } } },
      },
      { SCAN_VAULT_CONCURRENCY: '4' },
      { [queues.scanVault.name]: LOCK_SECONDS, [queues.scanPlan.name]: LOCK_SECONDS },
    );
    second = await startHostProcess({ appDir: APP_DIR, env: s.stack.env, args: ['--no-timers'] });
  });
  afterAll(async () => {
    await second?.stop();
    await s?.stop();
  });

  it('is finished by the survivor after lock expiry, with the counts of a clean scan and each unit once', async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    // Kill the second host once it has finished a unit: with 4 units at a time and slow vaults it then holds others
    // (locked to it, half done), and the scan is far from complete.
    const finished = /\[scanUnit [^\]]+\] \(system\) Executed \(Succeeded/;
    const deadline = Date.now() + 120_000;
    while (!finished.test(second.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(second.output()).toMatch(finished);
    process.kill(second.pid, 'SIGKILL');
    await second.exited;
    const atKill = await s.get<{ progress: { vaultsDone: number; vaultsTotal: number } }>(
      `/api/assets/discovery/scans/${trigger.body.scanId}`,
    );
    expect(atKill.progress.vaultsDone).toBeLessThan(atKill.progress.vaultsTotal);

    const scan = await s.waitForScan(trigger.body.scanId, 300_000);
    // Positive evidence that the dead host's units came back by lock expiry (not by a release the crash never sent).
    expect(s.stack.serviceBus.expiredLocks(queues.scanVault.name)).toBeGreaterThan(0);
    const expected = expectedScan(loadDemoTenant(), t0, new Date(scan.completedAt ?? ''));
    expect(scan.counts).toEqual(expected.bySeverity);
    expect(scan.itemsScanned).toBe(expected.items);
    expect(scan.outcomes).toEqual(expected.outcomeCounts);
    // Each unit counted once: as many unit records as planned units, no key twice.
    const keys = scan.units.map((u) => u.unitKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(scan.progress.vaultsDone).toBe(scan.progress.vaultsTotal);
    // Every item stored once.
    const inventory = TableClient.fromConnectionString(s.stack.azurite.connectionString, 'inventory', {
      allowInsecureConnection: true,
    });
    const ids: string[] = [];
    for await (const e of inventory.listEntities()) ids.push(`${e.partitionKey}/${e.rowKey}`);
    expect(ids).toHaveLength(expected.items);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
