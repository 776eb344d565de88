import { randomUUID, X509Certificate } from 'node:crypto';
import { cloudSettingsFromEnv, createCloudClients } from '../../shared/cloud/cloud-clients';
import { APP_ID, APP_OBJECT_ID, rotationTenant } from './rotation-stack';
import { Crash, startInProcessRotation, type InProcessRotation } from './rotation-inprocess';

const CALLER = {
  actor: { type: 'system' as const, id: 'system' as const, name: 'certificate test' },
  correlationId: '',
};
const CERT = 'payments-cert';

/**
 * Certificate rotation against the simulator's Key Vault: a new version is created from the certificate's policy,
 * Graph's addKey gets a proof signed by the current certificate's key through Key Vault `sign` (the private keys
 * never leave the vault), verification signs a client assertion with the new key, and the old key credential alone
 * is removed. A crash inside or between the steps resumes without a second credential.
 */
describe('certificate rotation', () => {
  let r: InProcessRotation;
  let recordId = '';
  beforeAll(async () => {
    const tenant = rotationTenant();
    r = await startInProcessRotation({
      ...tenant,
      subscriptions: tenant.subscriptions.map((s) => ({
        ...s,
        vaults: [
          ...(s.vaults ?? []),
          {
            name: 'kv-certs',
            resourceGroup: 'rg',
            access: { model: 'rbac', callerRoles: ['Key Vault Certificates Officer', 'Key Vault Crypto User'] },
          },
        ],
      })),
    });
    // The app's current certificate: created in the vault, its public part registered on the app (as an admin did).
    const settings = { ...cloudSettingsFromEnv(r.runtime.env), caCertPem: r.sim.caCertPem };
    const poller = await createCloudClients(settings).certificates(vaultUri()).beginCreateCertificate(
      CERT,
      { issuerName: 'Self', subject: 'CN=payments.contoso.com', validityInMonths: 12 },
      {
        intervalInMs: 0,
      },
    );
    const cert = await poller.pollUntilDone();
    const x509 = new X509Certificate(Buffer.from(cert.cer ?? []));
    const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    app?.keyCredentials.push({
      keyId: randomUUID(),
      displayName: 'CN=payments.contoso.com',
      startDateTime: new Date(x509.validFrom).toISOString(),
      endDateTime: new Date(x509.validTo).toISOString(),
      customKeyIdentifier: x509.fingerprint.replace(/:/g, ''),
      hint: null,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: Buffer.from(cert.cer ?? []).toString('base64'),
    });
    const record = await r.rotation.service.createRecord(
      {
        application: APP_ID,
        credentialType: 'certificate',
        keyId: app?.keyCredentials[0]?.keyId ?? null,
        targets: [{ vaultUri: vaultUri(), secretName: CERT }],
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

  function vaultUri(): string {
    return r.sim.state.vaults.find((v) => v.spec.name === 'kv-certs')?.uri ?? '';
  }

  it.each([null, 'create:certificate', 'create:added', 'after:create', 'after:verify'])(
    'rotates with Key Vault signing the proof and the assertion (crash: %s)',
    async (crashPoint) => {
      const app = r.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
      const oldKeyId = (await r.rotation.store.getRecord(recordId))?.keyId;
      const logStart = r.sim.requestLog().length;
      const { rotationId } = await r.rotation.service.requestRotation(recordId, 'manual', CALLER);
      if (crashPoint) {
        r.crashAt(crashPoint);
        await expect(r.rotation.machine.run(rotationId, false)).rejects.toBeInstanceOf(Crash);
      }
      await r.rotation.machine.run(rotationId, false);
      const rotation = await r.rotation.store.getRotation(rotationId);
      expect({ status: rotation?.status, code: rotation?.errorCode }).toEqual({ status: 'completed', code: null });
      // One key credential: the new one, the vault's current version; the old one removed exactly once.
      expect(app?.keyCredentials.map((k) => k.keyId)).toEqual([rotation?.newKeyId]);
      expect(r.sim.credentials.ledger.removedKeyIds.filter((k) => k === oldKeyId)).toHaveLength(1);
      const current = r.sim.state.vaults
        .find((v) => v.spec.name === 'kv-certs')
        ?.items.certificates.get(CERT)
        ?.versions.at(-1);
      expect(current?.tags.rotationId).toBe(rotationId);
      expect(app?.keyCredentials[0]?.key).toBe(current?.cer);
      // Key Vault signed (proof for addKey, the assertion, proof for removeKey); no private key was read.
      const log = r.sim.requestLog().slice(logStart);
      const signs = log.filter((e) => e.method === 'POST' && /\/keys\/payments-cert\/[0-9a-f]+\/sign/.test(e.path));
      expect(signs.length).toBeGreaterThanOrEqual(3);
      expect(log.some((e) => e.method === 'GET' && e.path.startsWith(`/secrets/${CERT}`))).toBe(false);
      expect(log.filter((e) => e.path.endsWith('/oauth2/v2.0/token')).at(-1)?.status).toBe(200);
      expect((await r.rotation.store.getRecord(recordId))?.keyId).toBe(rotation?.newKeyId);
    },
  );
});
