import { APP_ID, APP_OBJECT_ID, rotationTenant, startRotationStack, type RotationStack } from './rotation-stack';

interface Record_ {
  id: string;
  keyId: string | null;
}

/** Secret rotation end to end through the API, the queue worker, Graph, the token endpoint and Key Vault. */
describe('secret rotation', () => {
  let s: RotationStack;
  beforeAll(async () => {
    s = await startRotationStack(rotationTenant());
    s.sim.credentials.configure({ propagationDelayMs: 700 });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('rotates verify-then-switch: new secret works, every vault holds it, the old keyId alone is removed', async () => {
    const app = s.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const oldKeyId = app?.passwordCredentials[0]?.keyId ?? '';
    const created = await s.call<Record_>('POST', '/api/automation/rotation/records', {
      application: APP_ID,
      keyId: oldKeyId,
      targets: [
        { vaultUri: s.vaultUri('kv-apps'), secretName: 'payments-api-secret' },
        { vaultUri: s.vaultUri('kv-mirror'), secretName: 'payments-api-secret' },
      ],
      intervalDays: 30,
      overlapDays: 0,
    });
    expect(created.status).toBe(201);
    const rotate = await s.call<{ rotationId: string }>(
      'POST',
      `/api/automation/rotation/records/${created.body.id}/rotate`,
    );
    expect(rotate.status).toBe(202);
    const r = await s.waitForRotation(rotate.body.rotationId);
    expect({ status: r.status, errorCode: r.errorCode }).toEqual({ status: 'completed', errorCode: null });
    expect(r.steps.filter((x) => x.status === 'succeeded').map((x) => x.name)).toEqual([
      'preflight',
      'create',
      'verify',
      'store',
      'activate',
      'removeOld',
    ]);
    // Entra needed 700 ms to accept it: verification asked more than once, at the tenant's token endpoint.
    const verify = r.steps.find((x) => x.name === 'verify' && x.status === 'succeeded');
    expect(verify?.detail.attempts).toBeGreaterThan(1);
    const tokenCalls = s.sim.requestLog().filter((e) => e.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenCalls.map((e) => e.status)).toEqual([...Array(tokenCalls.length - 1).fill(401), 200]);
    const keys = app?.passwordCredentials.map((c) => c.keyId) ?? [];
    expect(keys).toEqual([r.newKeyId]);
    expect(s.sim.credentials.ledger.removedKeyIds).toEqual([oldKeyId]);
    for (const vault of ['kv-apps', 'kv-mirror']) {
      const item = s.sim.state.vaults.find((v) => v.spec.name === vault)?.items.secrets.get('payments-api-secret');
      const current = item?.versions.at(-1);
      expect(current?.tags).toEqual({
        appId: APP_ID,
        keyId: r.newKeyId,
        rotationId: r.rotationId,
        'managed-by': 'keyward',
      });
      expect(current?.exp).toBe(Math.floor(new Date(r.newEndDateTime ?? '').getTime() / 1000));
    }
    // The value in the vault is the one the token endpoint accepts for the new key id.
    const value = s.sim.state.vaults[0]?.items.secrets.get('payments-api-secret')?.versions.at(-1)?.value ?? '';
    expect(s.sim.credentials.match(APP_ID, value)).toEqual({ keyId: r.newKeyId, usable: true });
    const record = await s.call<{ records: Record_[] }>('GET', '/api/automation/rotation/records');
    expect(record.body.records[0]?.keyId).toBe(r.newKeyId);
  });

  it('discovery finds the vault secrets holding each credential: by tags and by value fingerprint', async () => {
    // The scan registers the vaults discovery looks in.
    const scan = await s.call<{ scanId: string }>('POST', '/api/trigger');
    for (;;) {
      const detail = await s.call<{ status: string }>('GET', `/api/assets/discovery/scans/${scan.body.scanId}`);
      if (detail.body.status === 'completed') break;
      await new Promise((done) => setTimeout(done, 200));
    }
    const app = s.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const credential = app?.passwordCredentials[0];
    const apps = s.sim.state.vaults.find((v) => v.spec.name === 'kv-apps');
    const current = apps?.items.secrets.get('payments-api-secret')?.versions.at(-1);
    // Someone copied the secret into another vault under a name of their own, without tags.
    const mirror = s.sim.state.vaults.find((v) => v.spec.name === 'kv-mirror');
    mirror?.items.secrets.set('legacy-copy', {
      name: 'legacy-copy',
      versions: [
        {
          version: 'a'.repeat(32),
          enabled: true,
          created: 1,
          updated: 1,
          tags: {},
          value: current?.value ?? '',
          ...(current?.exp ? { exp: current.exp } : {}),
        },
      ],
    });
    const found = await s.call<{ applications: number; matchedSecrets: number }>(
      'POST',
      '/api/automation/rotation/discover',
    );
    expect(found.status).toBe(200);
    expect(found.body.applications).toBe(2);
    const inventory = await s.call<{
      applications: {
        appId: string;
        covered: boolean;
        credentials: {
          keyId: string;
          recordId: string | null;
          vaultSecrets: { vaultUri: string; secretName: string; matchedBy: string }[];
        }[];
      }[];
    }>('GET', '/api/automation/rotation/inventory');
    const payments = inventory.body.applications.find((a) => a.appId === APP_ID);
    expect(payments?.covered).toBe(true);
    const held = payments?.credentials.find((c) => c.keyId === credential?.keyId);
    expect(held?.recordId).not.toBeNull();
    expect(
      held?.vaultSecrets
        .map((v) => `${v.vaultUri === s.vaultUri('kv-apps') ? 'kv-apps' : 'kv-mirror'}/${v.secretName}:${v.matchedBy}`)
        .sort(),
    ).toEqual([
      'kv-apps/payments-api-secret:tags',
      'kv-mirror/legacy-copy:fingerprint',
      'kv-mirror/payments-api-secret:tags',
    ]);
    const other = inventory.body.applications.find((a) => a.appId !== APP_ID);
    expect(other?.covered).toBe(false);
    // The scan's own app-credential inventory marks the covered credential with its record, and only that one.
    const list = await s.call<{ assets: { id: string }[] }>(
      'GET',
      '/api/assets/discovery/assets?type=appSecret&limit=100',
    );
    const details = await Promise.all(
      list.body.assets.map(
        async (a) =>
          (
            await s.call<{ version: string | null; tags: Record<string, string> }>(
              'GET',
              `/api/assets/discovery/assets/${encodeURIComponent(a.id)}`,
            )
          ).body,
      ),
    );
    expect(details.length).toBeGreaterThan(1);
    const marked = details.filter((a) => a.tags['keyward-rotation-record']);
    expect(marked.map((a) => [a.version, a.tags['keyward-rotation-record']])).toEqual([
      [credential?.keyId, held?.recordId],
    ]);
  });
});
