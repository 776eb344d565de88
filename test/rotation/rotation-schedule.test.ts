import { APP_ID, APP_OBJECT_ID, OTHER_APP_OBJECT_ID, rotationTenant } from './rotation-stack';
import { startInProcessRotation, type InProcessRotation } from './rotation-inprocess';

const CALLER = { actor: { type: 'system' as const, id: 'system' as const, name: 'schedule test' }, correlationId: '' };

/**
 * The rotation timer's pass: an automatic record whose credential is inside its rotate-before window is queued;
 * a record that will not rotate by itself raises rotation_overdue; an overlapping rotation keeps the old
 * credential until its overlap ends.
 */
describe('rotation schedule', () => {
  let r: InProcessRotation;
  beforeAll(async () => {
    r = await startInProcessRotation(rotationTenant());
  });
  afterAll(async () => {
    await r?.stop();
  });
  const vaultUri = (name: string): string => r.sim.state.vaults.find((v) => v.spec.name === name)?.uri ?? '';

  it('queues the due automatic record, alerts the due manual one, and keeps the old secret through the overlap', async () => {
    const payments = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const other = r.sim.state.applications.find((a) => a.id === OTHER_APP_OBJECT_ID);
    const base = {
      credentialType: 'secret' as const,
      intervalDays: 30,
      maintenanceWindow: null,
      targets: [{ vaultUri: vaultUri('kv-apps'), secretName: 'payments-api-secret' }],
    };
    // Payments' secret expires in 20 days, inside a 30-day window: due. Other App's expires in 300: not due.
    const automatic = await r.rotation.service.createRecord(
      {
        ...base,
        application: APP_ID,
        keyId: payments?.passwordCredentials[0]?.keyId ?? null,
        rotateBeforeExpiryDays: 30,
        overlapDays: 7,
        automatic: true,
      },
      CALLER,
    );
    await r.rotation.service.createRecord(
      {
        ...base,
        application: other?.appId ?? '',
        keyId: other?.passwordCredentials[0]?.keyId ?? null,
        rotateBeforeExpiryDays: 30,
        overlapDays: 0,
        automatic: true,
      },
      { ...CALLER },
    );
    await r.drainAlerts();
    const sentBefore = r.sent.length;

    expect(await r.rotation.scheduler.runDue()).toEqual({ started: 1, resumed: 0, overdue: 0 });
    const queued = r.sent.slice(sentBefore).filter((m) => m.entity === 'rotation');
    expect(queued).toHaveLength(1);
    const { rotationId } = queued[0]?.message.body as { rotationId: string };
    const oldKeyId = payments?.passwordCredentials[0]?.keyId;
    await r.rotation.machine.run(rotationId, false);
    const rotation = await r.rotation.store.getRotation(rotationId);
    expect(rotation).toMatchObject({ status: 'overlapping', trigger: 'automatic', step: 'removeOld' });
    // Both secrets work during the overlap; the next pass neither removes nor re-queues anything yet.
    expect(payments?.passwordCredentials.map((c) => c.keyId)).toEqual([oldKeyId, rotation?.newKeyId]);
    expect(await r.rotation.scheduler.runDue()).toEqual({ started: 0, resumed: 0, overdue: 0 });
    // A second rotate-now of the app is refused while the overlap holds its lock.
    await expect(r.rotation.service.requestRotation(automatic.id, 'manual', CALLER)).rejects.toMatchObject({
      rotationId,
    });

    // Switched to manual and due: the timer raises rotation_overdue, once a day however often it runs.
    await r.rotation.service.updateRecord(automatic.id, { automatic: false, rotateBeforeExpiryDays: 180 }, CALLER);
    await r.rotation.scheduler.runDue();
    await r.rotation.scheduler.runDue();
    const overdue = (await r.drainAlerts()).filter((a) => a.alertType === 'rotation_overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.facts).toMatchObject({ recordId: automatic.id, automatic: false });
  });
});
