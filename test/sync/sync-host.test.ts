import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { generateKeyPairSync } from 'node:crypto';
import { startAwsSim, type RunningAwsSim } from '../../dev/aws-sim/aws-sim';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { startGcpSim, type RunningGcpSim } from '../../dev/gcp-sim/gcp-sim';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../../shared/scan/estate-store';
import type { SyncConfigView, SyncRecordView } from '../../shared/sync/sync-schemas';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

jest.setTimeout(300_000);

const SUB = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const tenant: TenantDocument = {
  tenantId: '8d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
  displayName: 'Sync end to end',
  caller: {
    objectId: '9e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
    appId: 'af4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c',
    displayName: 'keyward-identity',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'Sync',
      vaults: [
        {
          name: 'kv-e2e-src',
          resourceGroup: 'rg-sync',
          access: { model: 'rbac', callerRoles: ['Key Vault Secrets User'] },
          secrets: [
            { name: 'e2e-db', tags: {} },
            { name: 'e2e-api', tags: {} },
          ],
        },
      ],
    },
  ],
} as TenantDocument;

/**
 * The sync through every real part: the API on the local Functions host (compiled app), the config saved with its
 * credentials (to the simulator's credentials vault), sync-now queuing to the Service Bus emulator, the host's
 * sync worker pushing with the real SDKs to the AWS and GCP simulators, records in Azurite read back through the
 * API. The source vault is found through the estate, seeded as a scan would have recorded it.
 */
describe('sync end to end: local host + Service Bus emulator + Azurite + simulators', () => {
  let azure: RunningAzureSim;
  let aws: RunningAwsSim;
  let gcp: RunningGcpSim;
  let stack: KeywardStack;
  let cookie: string;
  const sourceValue = (name: string): string =>
    azure.state.vaults
      .find((v) => v.spec.name === 'kv-e2e-src')
      ?.items.secrets.get(name)
      ?.versions.at(-1)?.value ?? '';

  beforeAll(async () => {
    [azure, aws, gcp] = await Promise.all([startAzureSim({ tenant }), startAwsSim(), startGcpSim()]);
    stack = await startKeywardStack({
      env: { ...azure.env(), ...aws.env(), ...gcp.env(), KEYWARD_TIER: 'enterprise', KEYWARD_LOCAL_MODE: 'true' },
      seed: async (connectionString) => {
        const storage = createStorageClients({ AzureWebJobsStorage: connectionString });
        const estate = createEstateStore(
          () => storage.table(SUBSCRIPTIONS_TABLE),
          () => storage.table(VAULTS_TABLE),
        );
        await estate.putVaults(
          azure.state.vaults
            .filter((v) => v.spec.name === 'kv-e2e-src')
            .map((v) => ({
              subscriptionId: SUB,
              subscriptionName: 'Sync',
              vaultName: v.spec.name,
              vaultId: v.armId,
              vaultUri: v.uri,
              resourceGroup: 'rg-sync',
              location: 'westeurope',
              tags: {},
              rbac: true,
              networkRestricted: false,
            })),
        );
      },
    });
    cookie = await stack.signIn({ email: 'sync.admin@example.com', roles: ['admin'] });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.allSettled([azure?.stop(), aws?.stop(), gcp?.stop()]);
  });

  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const rule = (nameTemplate: string) => ({
    sourceVaults: ['kv-e2e-src'],
    namePattern: 'e2e-*',
    kinds: ['secret'],
    nameTemplate,
  });
  /** Polls the records through the API until none is pending (the host's worker drains the queue). */
  const settled = async (configId: string, count: number): Promise<SyncRecordView[]> => {
    for (;;) {
      const { body } = await call<{ records: SyncRecordView[] }>(
        'GET',
        `/api/automation/sync/records?configId=${configId}`,
      );
      if (body.records.length === count && body.records.every((r) => r.status !== 'pending')) return body.records;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  test('AWS Secrets Manager and GCP Secret Manager: saved, synced now, written once, records synced', async () => {
    const awsConfig = await call<SyncConfigView>('POST', '/api/automation/sync/configs', {
      name: 'e2e-aws',
      provider: 'awsSecretsManager',
      enabled: true,
      connection: { aws: { region: 'us-east-1', accessKeyId: 'AKIAE2ETEST00001' } },
      credentials: { awsSecretAccessKey: 'e2e-secret-access-key-0001' },
      rules: [rule('e2e/{name}')],
    });
    expect(awsConfig.status).toBe(201);
    expect(JSON.stringify(awsConfig.body)).not.toContain('e2e-secret-access-key-0001');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const gcpKey = {
      type: 'service_account',
      client_email: 'keyward-sync@e2e-project.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const gcpConfig = await call<SyncConfigView>('POST', '/api/automation/sync/configs', {
      name: 'e2e-gcp',
      provider: 'gcpSecretManager',
      enabled: true,
      connection: { gcp: { projectId: 'e2e-project', location: 'global' } },
      credentials: { gcpServiceAccountKey: JSON.stringify(gcpKey) },
      rules: [rule('{name}')],
    });
    expect(gcpConfig.status).toBe(201);

    for (const config of [awsConfig.body, gcpConfig.body]) {
      const now = await call<{ queued: number }>('POST', `/api/automation/sync/configs/${config.id}/sync`);
      expect(now).toEqual({ status: 202, body: { queued: 2 } });
    }
    for (const config of [awsConfig.body, gcpConfig.body]) {
      const records = await settled(config.id, 2);
      expect(records.map((r) => [r.sourceName, r.status])).toEqual([
        ['e2e-api', 'synced'],
        ['e2e-db', 'synced'],
      ]);
    }

    // The targets, read back with the real SDKs.
    const sm = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: { accessKeyId: 'AKIAREADER000001', secretAccessKey: 'reader-secret-key-0001' },
      maxAttempts: 1,
    });
    for (const name of ['e2e-db', 'e2e-api']) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId: `e2e/${name}` }));
      expect(value.SecretString).toBe(sourceValue(name));
      expect(sourceValue(name)).not.toBe('');
    }
    const url = new URL(gcp.endpoint);
    const secretManager = new SecretManagerServiceClient({
      fallback: true,
      apiEndpoint: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      credentials: { client_email: gcpKey.client_email, private_key: gcpKey.private_key },
      clientOptions: { transporterOptions: { fetchImplementation: globalThis.fetch } },
    } as never);
    const [version] = await secretManager.accessSecretVersion({
      name: 'projects/e2e-project/secrets/e2e-db/versions/latest',
    });
    expect(Buffer.from(version.payload?.data ?? '').toString()).toBe(sourceValue('e2e-db'));

    // Each object written once; a second sync-now with no source change is proven unchanged from the records
    // (the sources' stamps are long past the last read), so nothing is queued and no request reaches a target.
    const writes = () =>
      aws.requestLog().filter((e) => e.write).length + gcp.requestLog().filter((e) => e.write).length;
    expect(writes()).toBe(2 + 4); // two CreateSecret; two createSecret + two addSecretVersion
    const requests = aws.requestLog().length + gcp.requestLog().length;
    for (const config of [awsConfig.body, gcpConfig.body]) {
      const again = await call<{ queued: number }>('POST', `/api/automation/sync/configs/${config.id}/sync`);
      expect(again).toEqual({ status: 202, body: { queued: 0 } });
    }
    expect(aws.requestLog().length + gcp.requestLog().length).toBe(requests);
  });

  test('an AWS role to assume: the host asks STS, and only the role’s credentials can write', async () => {
    const role = 'arn:aws:iam::123456789012:role/keyward-e2e';
    aws.roles.set(role, { arn: role, externalId: 'e2e-external-id' });
    aws.sourceOnlyKeys.add('AKIAE2ESOURCE001');
    const saved = await call<SyncConfigView>('POST', '/api/automation/sync/configs', {
      name: 'e2e-role',
      provider: 'awsSecretsManager',
      enabled: true,
      connection: {
        aws: { region: 'us-east-1', accessKeyId: 'AKIAE2ESOURCE001', roleArn: role, externalId: 'e2e-external-id' },
      },
      credentials: { awsSecretAccessKey: 'e2e-source-secret-key-0001' },
      rules: [rule('role/{name}')],
    });
    expect(saved.status).toBe(201);
    expect(saved.body.connection.aws).toMatchObject({ roleArn: role, externalId: 'e2e-external-id' });
    await call('POST', `/api/automation/sync/configs/${saved.body.id}/sync`);
    const records = await settled(saved.body.id, 2);
    expect(records.map((r) => r.status)).toEqual(['synced', 'synced']);
    expect(aws.secrets.get('role/e2e-db')?.versions.at(-1)?.value).toBe(sourceValue('e2e-db'));
    expect(aws.requestLog().filter((e) => e.service === 'sts')).toEqual([
      expect.objectContaining({ operation: 'AssumeRole', target: role, status: 200 }),
    ]);
  });
});
