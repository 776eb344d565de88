import { TableClient, TableServiceClient } from '@azure/data-tables';
import { APP_ID, APP_OBJECT_ID, rotationTenant } from './rotation-stack';
import { Crash, startInProcessRotation, type InProcessRotation } from './rotation-inprocess';

const CANARY = 'KWCRASHCANARY';
const CALLER = { actor: { type: 'system' as const, id: 'system' as const, name: 'crash test' }, correlationId: '' };

/**
 * The worker dies at every point between two recorded facts (after each step, and after a Graph or Key Vault write
 * before it is recorded); the message is delivered again. Every run must end with one new credential, the old one
 * removed exactly once, every target vault at the new version, and no credential that no record knows.
 */
describe('rotation survives a crash at every step', () => {
  let r: InProcessRotation;
  let recordId: string;
  beforeAll(async () => {
    r = await startInProcessRotation(rotationTenant());
    r.sim.credentials.configure({ secretPrefix: CANARY });
    const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const record = await r.rotation.service.createRecord(
      {
        application: APP_ID,
        credentialType: 'secret',
        keyId: app?.passwordCredentials[0]?.keyId ?? null,
        targets: [
          { vaultUri: vaultUri('kv-apps'), secretName: 'payments-api-secret' },
          { vaultUri: vaultUri('kv-mirror'), secretName: 'payments-api-secret' },
        ],
        intervalDays: 30,
        rotateBeforeExpiryDays: 14,
        overlapDays: 0,
        automatic: false,
        maintenanceWindow: null,
      },
      CALLER,
    );
    recordId = record.id;
  });
  afterAll(async () => {
    await r?.stop();
  });

  function vaultUri(name: string): string {
    return r.sim.state.vaults.find((v) => v.spec.name === name)?.uri ?? '';
  }

  const points = [
    'after:preflight',
    'create:added',
    'after:create',
    'after:verify',
    'store:written:payments-api-secret',
    'after:store',
    'after:activate',
    'after:removeOld',
  ];

  it.each(points)(
    'crash at %s, then redelivery: one new credential, old removed once, vaults current',
    async (point) => {
      const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
      const before = await r.rotation.store.getRecord(recordId);
      const oldKeyId = before?.keyId ?? '';
      const removedBefore = r.sim.credentials.ledger.removedKeyIds.length;
      const { rotationId } = await r.rotation.service.requestRotation(recordId, 'manual', CALLER);

      r.crashAt(point);
      await expect(r.rotation.machine.run(rotationId, false)).rejects.toBeInstanceOf(Crash);
      // The broker redelivers the message; the run resumes from the rotation's recorded state.
      await r.rotation.machine.run(rotationId, false);

      const rotation = await r.rotation.store.getRotation(rotationId);
      expect({ status: rotation?.status, errorCode: rotation?.errorCode }).toEqual({
        status: 'completed',
        errorCode: null,
      });
      const after = await r.rotation.store.getRecord(recordId);
      expect(after?.keyId).toBe(rotation?.newKeyId);
      // Exactly one password credential: the new one, which the record knows. The old one is gone, removed once.
      expect(app?.passwordCredentials.map((c) => c.keyId)).toEqual([rotation?.newKeyId]);
      const removedNow = r.sim.credentials.ledger.removedKeyIds.slice(removedBefore);
      expect(removedNow.filter((k) => k === oldKeyId)).toHaveLength(1);
      // Anything else removed was a credential of this rotation that a crash made unusable, never someone else's.
      const added = new Set(r.sim.credentials.ledger.addedKeyIds);
      expect(removedNow.filter((k) => k !== oldKeyId).every((k) => added.has(k))).toBe(true);
      for (const vault of ['kv-apps', 'kv-mirror']) {
        const current = r.sim.state.vaults
          .find((v) => v.spec.name === vault)
          ?.items.secrets.get('payments-api-secret')
          ?.versions.at(-1);
        expect(current?.tags.keyId).toBe(rotation?.newKeyId);
        expect(r.sim.credentials.match(APP_ID, current?.value ?? '')).toEqual({
          keyId: rotation?.newKeyId,
          usable: true,
        });
      }
    },
  );

  it('no queue or topic message and no table row carried a secret value, crashes included', async () => {
    expect(r.sent.some((m) => m.entity === 'rotation')).toBe(true);
    expect(JSON.stringify(r.sent)).not.toContain(CANARY);
    const service = TableServiceClient.fromConnectionString(r.azurite.connectionString, {
      allowInsecureConnection: true,
    });
    let rows = 0;
    for await (const t of service.listTables()) {
      const client = TableClient.fromConnectionString(r.azurite.connectionString, t.name ?? '', {
        allowInsecureConnection: true,
      });
      for await (const e of client.listEntities()) {
        rows += 1;
        expect(JSON.stringify(e)).not.toContain(CANARY);
      }
    }
    expect(rows).toBeGreaterThan(0);
  });
});
