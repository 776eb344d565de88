import { ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { simKeyVaultOptions, useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { fixedClock } from '../../shared/time/clock';
import { expectedScan, loadDemoTenant, secretValueReads } from './scan-expected';
import { startScanStack, type ScanStack } from './scan-stack';

/** A full scan of the demo tenant through the host on the compiled app, Azurite, the bus emulator and the simulator. */
describe('scan of the demo tenant', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  let s: ScanStack;
  beforeAll(async () => {
    s = await startScanStack({ tenant: 'demo', clock: fixedClock(t0) });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('finds exactly the items, severities and vault outcomes the tenant document implies, reading no secret value', async () => {
    const trigger = await s.post<{ message: string; correlationId: string; scanId: string }>('/api/trigger');
    expect(trigger.status).toBe(202);
    expect(trigger.body.message).toBe('Scan triggered');
    const again = await s.post<{ scanId: string; message: string }>('/api/trigger');
    expect(again.body.scanId).toBe(trigger.body.scanId);

    const scan = await s.waitForScan(trigger.body.scanId);
    const expected = expectedScan(loadDemoTenant(), t0, new Date(scan.completedAt ?? ''));
    const vaultOutcomes = Object.fromEntries(
      scan.units.filter((u) => u.vaultName).map((u) => [u.vaultName, u.outcome]),
    );
    expect(vaultOutcomes).toEqual(expected.outcomes);
    expect(scan.outcomes).toEqual(expected.outcomeCounts);
    expect(scan.counts).toEqual(expected.bySeverity);
    expect(scan.itemsScanned).toBe(expected.items);

    const stats = await s.get<Record<string, unknown>>('/api/stats');
    expect(stats).toMatchObject({
      totalItems: expected.items,
      warning: expected.bySeverity.warning,
      severe: expected.bySeverity.severe,
      critical: expected.bySeverity.critical,
      expired: expected.bySeverity.expired,
      vaultCount: 12,
      subscriptionCount: 3,
    });
    // Permission status per subscription: a vault refusing the identity for a missing role or access policy is a
    // permission gap; a firewalled vault is a network rule, shown per vault only.
    const tenant = loadDemoTenant();
    const permissions = await s.get<{
      subscriptions: { subscriptionId: string; hasKeyVaultAccess: boolean; vaultCount: number }[];
      totalAccessible: number;
      totalSubscriptions: number;
      vaults: { vaultName: string; accessState: string }[];
    }>('/api/permission-status');
    const expectedSubs = tenant.subscriptions.map((sub) => ({
      subscriptionId: sub.subscriptionId,
      hasKeyVaultAccess: !sub.vaults.some((v) => expected.outcomes[v.name] === 'forbidden'),
      vaultCount: sub.vaults.length,
    }));
    expect(
      permissions.subscriptions.map(({ subscriptionId, hasKeyVaultAccess, vaultCount }) => ({
        subscriptionId,
        hasKeyVaultAccess,
        vaultCount,
      })),
    ).toEqual(expect.arrayContaining(expectedSubs));
    expect(permissions.subscriptions).toHaveLength(expectedSubs.length);
    // The demo tenant has both: a subscription with full access despite a firewalled vault, and one without.
    expect(new Set(expectedSubs.map((x) => x.hasKeyVaultAccess))).toEqual(new Set([true, false]));
    expect(permissions.totalAccessible).toBe(expectedSubs.filter((x) => x.hasKeyVaultAccess).length);
    expect(permissions.totalSubscriptions).toBe(expectedSubs.length);
    expect(Object.fromEntries(permissions.vaults.map((v) => [v.vaultName, v.accessState]))).toEqual(expected.outcomes);

    expect(secretValueReads(s.sim.requestLog())).toEqual([]);
    // The vault clients send a token with their first read: no request was spent on an authentication challenge.
    const vaultRequests = s.sim.requestLog().filter((r) => r.api === 'keyvault');
    expect(vaultRequests.length).toBeGreaterThan(0);
    expect(vaultRequests.filter((r) => r.status === 401)).toEqual([]);
    // Each vault's connections close with its unit: none is left idle for the server (minutes, as Azure) to drop.
    expect(await s.sim.openVaultConnections()).toBe(0);

    // The audit trail records the scan once (the second trigger joined it) and each unreadable vault once.
    const audit = await s.get<{ entries: { action: string; target?: string; outcome: string }[] }>(
      '/api/audit?action=discovery',
    );
    const actions = audit.entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'discovery.scan.started')).toHaveLength(1);
    expect(actions.filter((a) => a === 'discovery.scan.completed')).toHaveLength(1);
    const unreadable = Object.values(expected.outcomes).filter((o) => o !== 'ok' && o !== 'throttled');
    expect(audit.entries.filter((e) => e.action === 'discovery.vault.error')).toHaveLength(unreadable.length);
    expect(audit.entries.find((e) => e.action === 'discovery.scan.completed')?.target).toBe(`scan/${scan.scanId}`);

    // The expiring list, page by page, holds each expiring item once, soonest expiry day first.
    const seen: string[] = [];
    let token: string | undefined;
    let last = '';
    do {
      const page = await s.get<{ items: { id: string; expiresAt: string }[]; continuationToken?: string }>(
        `/api/expiring-items?limit=7${token ? `&continuationToken=${token}` : ''}`,
      );
      for (const item of page.items) {
        // Sorted by expiry (the index's order: day partitions, then expiry time within the day).
        expect(item.expiresAt >= last).toBe(true);
        last = item.expiresAt;
        seen.push(item.id);
      }
      token = page.continuationToken;
    } while (token);
    const expiring = ['warning', 'severe', 'critical', 'expired'].reduce(
      (n, k) => n + (expected.bySeverity[k] ?? 0),
      0,
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expiring);
  });

  it('drops a secret deleted since the last scan, and a delta scan carries over recently scanned vaults', async () => {
    const before = await s.get<{ totalItems: number }>('/api/stats');
    const vaults = await s.get<{ vaults: { vaultName: string; subscriptionId: string; accessState: string }[] }>(
      '/api/assets/discovery/vaults',
    );
    const devApps = vaults.vaults.find((v) => v.vaultName === 'kv-dev-apps');
    const id = `${devApps?.subscriptionId ?? ''}_kv-dev-apps~secret_dev-api-key`;
    expect(
      (await fetch(`${s.stack.url}/api/assets/discovery/assets/${id}`, { headers: { cookie: s.cookie } })).status,
    ).toBe(200);

    // The vault's access policy grants delete; the test deletes as the same identity through the real SDK.
    const restore = useSimIdentityEnv(s.sim);
    try {
      const uri = (await vaultUri(s, 'kv-dev-apps')) ?? '';
      const client = new SecretClient(uri, new ManagedIdentityCredential(), simKeyVaultOptions(s.sim));
      await (await client.beginDeleteSecret('dev-api-key')).pollUntilDone();
    } finally {
      restore();
    }
    const full = await s.post<{ scanId: string; started: boolean }>('/api/assets/discovery/scan', { mode: 'full' });
    expect(full.status).toBe(202);
    expect(full.body.started).toBe(true);
    await s.waitForScan(full.body.scanId);
    expect((await s.get<{ totalItems: number }>('/api/stats')).totalItems).toBe(before.totalItems - 1);
    expect(
      (await fetch(`${s.stack.url}/api/assets/discovery/assets/${id}`, { headers: { cookie: s.cookie } })).status,
    ).toBe(404);

    const delta = await s.post<{ scanId: string }>('/api/assets/discovery/scan', { mode: 'delta' });
    const scan = await s.waitForScan(delta.body.scanId);
    const readable = vaults.vaults.filter((v) => v.accessState === 'ok' || v.accessState === 'throttled').length;
    expect((scan as unknown as { vaultsCarriedOver: number }).vaultsCarriedOver).toBe(readable);
    expect(scan.units.filter((u) => u.vaultName).length).toBe(12 - readable);
    expect((await s.get<{ totalItems: number }>('/api/stats')).totalItems).toBe(before.totalItems - 1);
  });

  it('the SCAN_SCHEDULE timer starts a full scan of its own that completes with the same inventory', async () => {
    const before = await s.get<{ totalItems: number }>('/api/stats');
    const listed = async () =>
      (await s.get<{ scans: { scanId: string; trigger: string; mode: string }[] }>('/api/assets/discovery/scans'))
        .scans;
    const known = new Set((await listed()).map((x) => x.scanId));
    // The host's admin API runs a timer function now, as the Functions host does (`POST /admin/functions/{name}`).
    const fired = await fetch(`${s.stack.url}/admin/functions/scanSchedule`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"input":""}',
    });
    expect(fired.status).toBe(202);
    let scheduled: { scanId: string; trigger: string; mode: string } | undefined;
    for (let i = 0; i < 200 && !scheduled; i += 1) {
      scheduled = (await listed()).find((x) => !known.has(x.scanId));
      if (!scheduled) await new Promise((r) => setTimeout(r, 100));
    }
    expect(scheduled).toMatchObject({ trigger: 'schedule', mode: 'full' });
    const scan = await s.waitForScan(scheduled?.scanId ?? '');
    expect(scan.units.filter((u) => u.vaultName)).toHaveLength(12);
    expect((await s.get<{ totalItems: number }>('/api/stats')).totalItems).toBe(before.totalItems);
  });
});

/** The vault's data-plane URI, as ARM reports it (read from the vault registry through the storage SDK). */
async function vaultUri(s: ScanStack, name: string): Promise<string | undefined> {
  const { TableClient } = await import('@azure/data-tables');
  const table = TableClient.fromConnectionString(s.stack.azurite.connectionString, 'vaults', {
    allowInsecureConnection: true,
  });
  for await (const v of table.listEntities<{ vaultName: string; vaultUri: string }>())
    if (v.vaultName === name) return v.vaultUri;
  return undefined;
}
