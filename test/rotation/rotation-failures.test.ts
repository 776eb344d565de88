import { cloudSettingsFromEnv, createCloudClients } from '../../shared/cloud/cloud-clients';
import { APP_ID, APP_OBJECT_ID, OTHER_APP_OBJECT_ID, rotationTenant } from './rotation-stack';
import { startInProcessRotation, type InProcessRotation } from './rotation-inprocess';

const CALLER = { actor: { type: 'system' as const, id: 'system' as const, name: 'failure test' }, correlationId: '' };
const DAY_MS = 86_400_000;

describe('rotation failures and the lifetime policy', () => {
  let r: InProcessRotation;
  beforeAll(async () => {
    // The tenant caps password lifetime at 90 days; "Other App" has its own policy (30 days), which replaces it.
    r = await startInProcessRotation({
      ...rotationTenant(),
      appManagementPolicy: { isEnabled: true, passwordLifetimeDays: 90 },
      applications: rotationTenant().applications?.map((a) =>
        a.id === OTHER_APP_OBJECT_ID ? { ...a, policy: { isEnabled: true, passwordLifetimeDays: 30 } } : a,
      ),
    });
  });
  afterAll(async () => {
    await r?.stop();
  });

  const vaultUri = (name: string): string => r.sim.state.vaults.find((v) => v.spec.name === name)?.uri ?? '';
  const secretVersions = () =>
    r.sim.state.vaults.map((v) => [v.spec.name, v.items.secrets.get('payments-api-secret')?.versions.length ?? 0]);
  const record = (application: string, intervalDays: number) =>
    r.rotation.service.createRecord(
      {
        application,
        credentialType: 'secret',
        keyId: null,
        targets: [{ vaultUri: vaultUri('kv-apps'), secretName: 'payments-api-secret' }],
        intervalDays,
        rotateBeforeExpiryDays: 14,
        overlapDays: 0,
        automatic: false,
        maintenanceWindow: null,
      },
      CALLER,
    );

  it('a secret the token endpoint never accepts: the new credential is removed, vaults unchanged, one rotation_failed', async () => {
    await r.drainAlerts();
    const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const credentialsBefore = app?.passwordCredentials.map((c) => c.keyId);
    const versionsBefore = secretVersions();
    r.sim.credentials.configure({ rejectNewCredentials: true });
    try {
      const { id } = await record(APP_ID, 30);
      const { rotationId } = await r.rotation.service.requestRotation(id, 'manual', CALLER);
      await r.rotation.machine.run(rotationId, false);
      // A redelivery of the same message after the failure changes nothing and alerts nothing.
      await r.rotation.machine.run(rotationId, true);
      const rotation = await r.rotation.store.getRotation(rotationId);
      expect(rotation).toMatchObject({ status: 'failed', errorStep: 'verify', errorCode: 'AADSTS7000215' });
      expect(app?.passwordCredentials.map((c) => c.keyId)).toEqual(credentialsBefore);
      expect(r.sim.credentials.ledger.removedKeyIds).toContain(rotation?.newKeyId);
      expect(secretVersions()).toEqual(versionsBefore);
      const alerts = (await r.drainAlerts()).filter((a) => a.alertType === 'rotation_failed');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.facts).toMatchObject({ step: 'verify', errorCode: 'AADSTS7000215', rotationId });
      // The lock is released: the next rotation of the app may start.
      expect(await r.rotation.store.lockHolder(APP_OBJECT_ID)).toBeNull();
    } finally {
      r.sim.credentials.configure({ rejectNewCredentials: false });
    }
  });

  it('clamps the end date to the tenant cap of 90 days (a 60-day interval would ask for 123)', async () => {
    const { id } = await record(APP_ID, 60);
    const { rotationId } = await r.rotation.service.requestRotation(id, 'manual', CALLER);
    const started = Date.now();
    await r.rotation.machine.run(rotationId, false);
    const rotation = await r.rotation.store.getRotation(rotationId);
    expect(rotation?.status).toBe('completed');
    const end = new Date(rotation?.newEndDateTime ?? '').getTime();
    expect(end).toBeLessThanOrEqual(started + 90 * DAY_MS);
    expect(end).toBeGreaterThan(started + 89 * DAY_MS);
  });

  it("an app's own policy replaces the tenant's: 30 days", async () => {
    const other = r.sim.state.applications.find((a) => a.id === OTHER_APP_OBJECT_ID);
    const { id } = await record(other?.appId ?? '', 30);
    const { rotationId } = await r.rotation.service.requestRotation(id, 'manual', CALLER);
    const started = Date.now();
    await r.rotation.machine.run(rotationId, false);
    const rotation = await r.rotation.store.getRotation(rotationId);
    expect(rotation?.status).toBe('completed');
    expect(new Date(rotation?.newEndDateTime ?? '').getTime()).toBeLessThanOrEqual(started + 30 * DAY_MS);
  });

  it('without endDateTime Graph defaults to two years, which the simulator refuses as Entra does', async () => {
    // The product never sends this; the raw call shows the simulator enforces the cap like Entra.
    const client = createCloudClients({ ...cloudSettingsFromEnv(r.runtime.env), caCertPem: r.sim.caCertPem }).graph();
    await expect(client.request('POST', `/v1.0/applications/${APP_OBJECT_ID}/addPassword`, {})).rejects.toMatchObject({
      statusCode: 400,
      code: 'CredentialInvalidLifetimeAsPerAppPolicy',
    });
  });

  it('a Graph failure at addPassword ends the rotation as failed with the Graph code, leaving nothing behind', async () => {
    const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const before = app?.passwordCredentials.map((c) => c.keyId);
    r.sim.credentials.configure({
      failures: { addPassword: { status: 403, code: 'Authorization_RequestDenied', times: 1 } },
    });
    const { id } = await record(APP_ID, 30);
    const { rotationId } = await r.rotation.service.requestRotation(id, 'manual', CALLER);
    await r.rotation.machine.run(rotationId, false);
    expect(await r.rotation.store.getRotation(rotationId)).toMatchObject({
      status: 'failed',
      errorStep: 'create',
      errorCode: 'Authorization_RequestDenied',
    });
    expect(app?.passwordCredentials.map((c) => c.keyId)).toEqual(before);
  });

  it('a vault the identity may not write: the record is refused with the fix', async () => {
    await expect(
      r.rotation.service.createRecord(
        {
          application: APP_ID,
          credentialType: 'secret',
          keyId: null,
          targets: [{ vaultUri: vaultUri('kv-readonly'), secretName: 'payments-api-secret' }],
          intervalDays: 30,
          rotateBeforeExpiryDays: 14,
          overlapDays: 0,
          automatic: false,
          maintenanceWindow: null,
        },
        CALLER,
      ),
    ).rejects.toMatchObject({
      code: 'permission_missing',
      message: expect.stringContaining('Key Vault Secrets Officer'),
    });
  });
});
