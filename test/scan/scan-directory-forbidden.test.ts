import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantDocument } from '../../dev/azure-sim/azure-sim';
import { parseTenant } from '../../dev/azure-sim/tenant-schema';
import { fixedClock } from '../../shared/time/clock';
import { expectedScan } from './scan-expected';
import { startScanStack, type ScanStack } from './scan-stack';

/**
 * The demo tenant with an identity that was never granted Application.Read.All: Graph refuses the directory reads
 * with 403 Authorization_RequestDenied. A full scan through the host records the directory unit as `forbidden`
 * (a permission gap, not a failed scan), completes, and reads every vault exactly as a clean scan does.
 */
describe('a scan whose identity may not read the directory', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const demo = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'dev', 'azure-sim', 'tenants', 'demo.json'), 'utf8'),
  ) as TenantDocument;
  const doc: TenantDocument = { ...demo, caller: { ...demo.caller, graphPermissions: ['Policy.Read.All'] } };
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({ tenant: doc, clock: fixedClock(t0) });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('records the directory unit as forbidden, completes, and leaves the vault units as a clean scan has them', async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    expect(trigger.status).toBe(202);
    const scan = await s.waitForScan(trigger.body.scanId);
    expect(scan.status).toBe('completed');

    // The oracle: the tenant's vaults as a clean scan finds them, and no application credential at all.
    const tenant = parseTenant(doc);
    expect(tenant.applications.length).toBeGreaterThan(0);
    const expected = expectedScan({ ...tenant, applications: [] }, t0, new Date(scan.completedAt ?? ''));

    const directory = scan.units.filter((u) => u.vaultName === null);
    expect(directory.map((u) => ({ outcome: u.outcome, items: u.items }))).toEqual([
      { outcome: 'forbidden', items: 0 },
    ]);
    const vaultOutcomes = Object.fromEntries(
      scan.units.filter((u) => u.vaultName).map((u) => [u.vaultName, u.outcome]),
    );
    expect(vaultOutcomes).toEqual(expected.outcomes);
    expect(scan.outcomes).toEqual({
      ...expected.outcomeCounts,
      ok: (expected.outcomeCounts.ok ?? 0) - 1,
      forbidden: (expected.outcomeCounts.forbidden ?? 0) + 1,
    });
    expect(scan.counts).toEqual(expected.bySeverity);
    expect(scan.itemsScanned).toBe(expected.items);

    // Graph was asked and refused (positive evidence the refusal, not a skipped unit, produced the outcome).
    const refused = s.sim.requestLog().filter((r) => r.api === 'graph' && r.status === 403);
    expect(refused.length).toBeGreaterThan(0);
  });
});
