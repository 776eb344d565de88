import { generateKeyPairSync } from 'node:crypto';
import { CertificateManagerClient } from '@google-cloud/certificate-manager';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import selfsigned from 'selfsigned';
import { gcpClientOptions } from '../../shared/sync/providers/gcp/gcp-client-options';
import { gcpError } from '../../shared/sync/providers/gcp/gcp-errors';
import { startGcpSim, type RunningGcpSim } from './gcp-sim';

/** The simulator through the real Node clients in REST mode: the shapes they parse and the refusals Google makes. */
describe('GCP simulator', () => {
  let sim: RunningGcpSim;
  let secrets: SecretManagerServiceClient;
  let certs: CertificateManagerClient;
  const once = { maxRetries: 0 } as never;
  beforeAll(async () => {
    sim = await startGcpSim();
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const options = gcpClientOptions(
      { client_email: 'sa@p.iam.gserviceaccount.com', private_key: key },
      { aws: null, gcp: sim.endpoint, localMode: true },
    );
    secrets = new SecretManagerServiceClient(options);
    certs = new CertificateManagerClient(options);
  });
  afterAll(async () => {
    await secrets?.close();
    await certs?.close();
    await sim?.stop();
  });

  test('Secret Manager: create, add a version, read it; names use the project number', async () => {
    const [secret] = await secrets.createSecret(
      {
        parent: 'projects/sync-project',
        secretId: 's1',
        secret: { replication: { automatic: {} }, labels: { 'managed-by': 'keyward' } },
      },
      once,
    );
    expect(secret.name).toBe(`projects/${sim.projectNumber('sync-project')}/secrets/s1`);
    expect(secret.labels).toEqual({ 'managed-by': 'keyward' });
    const [version] = await secrets.addSecretVersion(
      { parent: 'projects/sync-project/secrets/s1', payload: { data: Buffer.from('hunter2') } },
      once,
    );
    expect(version.name?.endsWith('/versions/1')).toBe(true);
    const [access] = await secrets.accessSecretVersion(
      { name: 'projects/sync-project/secrets/s1/versions/latest' },
      once,
    );
    expect(Buffer.from(access.payload?.data ?? '').toString()).toBe('hunter2');
  });

  test('Secret Manager refusals: already exists, not found, bad labels, no replication', async () => {
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => gcpError(e).code,
      );
    expect(
      await fail(
        secrets.createSecret(
          { parent: 'projects/sync-project', secretId: 's1', secret: { replication: { automatic: {} } } },
          once,
        ),
      ),
    ).toBe('ALREADY_EXISTS');
    expect(await fail(secrets.getSecret({ name: 'projects/sync-project/secrets/none' }, once))).toBe('NOT_FOUND');
    expect(
      await fail(
        secrets.createSecret(
          {
            parent: 'projects/sync-project',
            secretId: 's2',
            secret: { replication: { automatic: {} }, labels: { Owner: 'x' } },
          },
          once,
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(
      await fail(secrets.createSecret({ parent: 'projects/sync-project', secretId: 's3', secret: {} }, once)),
    ).toBe('INVALID_ARGUMENT');
    expect(
      await fail(
        secrets.createSecret(
          { parent: 'projects/sync-project', secretId: 'a/b', secret: { replication: { automatic: {} } } },
          once,
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });

  test('Certificate Manager: create is a long-running operation resolving to the certificate', async () => {
    sim.setPollsUntilDone(2);
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'web.contoso.com' }], { keySize: 2048 });
    const [operation] = await certs.createCertificate(
      {
        parent: 'projects/sync-project/locations/global',
        certificateId: 'web',
        certificate: {
          labels: { 'managed-by': 'keyward' },
          selfManaged: { pemCertificate: pems.cert, pemPrivateKey: pems.private },
        },
      },
      once,
    );
    const [certificate] = await operation.promise();
    expect(certificate.name).toBe(`projects/${sim.projectNumber('sync-project')}/locations/global/certificates/web`);
    expect(certificate.labels).toEqual({ 'managed-by': 'keyward' });
    expect(sim.requestLog().filter((e) => e.target.includes('/operations/')).length).toBeGreaterThanOrEqual(2);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(
      certs.createCertificate(
        {
          parent: 'projects/sync-project/locations/global',
          certificateId: 'bad',
          certificate: { selfManaged: { pemCertificate: pems.cert, pemPrivateKey: other } },
        },
        once,
      ),
    ).rejects.toBeDefined();
  });

  test('throttling answers 429 RESOURCE_EXHAUSTED, retryable; the log holds no payload', async () => {
    sim.setKnobs({ throttleRate: 1 });
    const error = await secrets
      .getSecret({ name: 'projects/sync-project/secrets/s1' }, once)
      .catch((e: unknown) => gcpError(e));
    sim.setKnobs({ throttleRate: 0 });
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', retryable: true });
    expect(JSON.stringify(sim.requestLog())).not.toContain('aHVudGVyMg');
  });
});
