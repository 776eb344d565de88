import { APP_ID, OTHER_APP_OBJECT_ID, rotationTenant } from './rotation-stack';
import { startInProcessRotation, type InProcessRotation } from './rotation-inprocess';

const CALLER = {
  actor: { type: 'system' as const, id: 'system' as const, name: 'permission test' },
  correlationId: '',
};

/**
 * With Application.ReadWrite.OwnedBy, Keyward may rotate only the apps it owns: a record for another app is refused
 * with the fix before anything is stored, and the probe changed nothing on the app.
 */
describe('rotation permission probes', () => {
  let r: InProcessRotation;
  beforeAll(async () => {
    const tenant = rotationTenant();
    r = await startInProcessRotation({
      ...tenant,
      caller: { ...tenant.caller, graphPermissions: ['Application.ReadWrite.OwnedBy', 'Policy.Read.All'] },
      applications: tenant.applications?.map((a) => (a.id === OTHER_APP_OBJECT_ID ? a : { ...a, ownedByCaller: true })),
    });
  });
  afterAll(async () => {
    await r?.stop();
  });

  const create = (application: string) =>
    r.rotation.service.createRecord(
      {
        application,
        credentialType: 'secret',
        keyId: null,
        targets: [
          { vaultUri: r.sim.state.vaults.find((v) => v.spec.name === 'kv-apps')?.uri ?? '', secretName: 'x-secret' },
        ],
        intervalDays: 30,
        rotateBeforeExpiryDays: 14,
        overlapDays: 7,
        automatic: false,
        maintenanceWindow: null,
      },
      CALLER,
    );

  it('refuses an app it does not own with the permission to grant, and accepts one it owns', async () => {
    const other = r.sim.state.applications.find((a) => a.id === OTHER_APP_OBJECT_ID);
    const before = JSON.stringify(other?.passwordCredentials);
    await expect(create(OTHER_APP_OBJECT_ID)).rejects.toMatchObject({
      code: 'permission_missing',
      message: expect.stringContaining('Application.ReadWrite.OwnedBy'),
    });
    expect(JSON.stringify(other?.passwordCredentials)).toBe(before);
    expect(await r.rotation.store.listRecords()).toEqual([]);
    await expect(create(APP_ID)).resolves.toMatchObject({ appId: APP_ID });
  });
});
