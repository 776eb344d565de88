import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  GetParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { generateKeyPairSync } from 'node:crypto';
import selfsigned from 'selfsigned';
import { startAwsSim, type RunningAwsSim } from './aws-sim';

/** The simulator through the real SDK v3 clients: the shapes they parse and the refusals the services make. */
describe('AWS simulator', () => {
  let sim: RunningAwsSim;
  let sm: SecretsManagerClient;
  let ssm: SSMClient;
  let acm: ACMClient;
  beforeAll(async () => {
    sim = await startAwsSim();
    const cfg = {
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
    };
    sm = new SecretsManagerClient(cfg);
    ssm = new SSMClient(cfg);
    acm = new ACMClient(cfg);
  });
  afterAll(async () => sim?.stop());

  test('Secrets Manager: create, put, describe with VersionIdsToStages and dates the SDK parses', async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'app/db', SecretString: 'one', Tags: [{ Key: 'managed-by', Value: 'keyward' }] }),
    );
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:app\/db-.{6}$/);
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }));
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(described.Tags).toEqual([{ Key: 'managed-by', Value: 'keyward' }]);
    expect(described.VersionIdsToStages).toEqual({
      [created.VersionId ?? '']: ['AWSPREVIOUS'],
      [put.VersionId ?? '']: ['AWSCURRENT'],
    });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).SecretString).toBe('two');
  });

  test('Secrets Manager refusals map to the SDK exception classes', async () => {
    await expect(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(sm.send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'x' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      sm.send(
        new DeleteSecretCommand({ SecretId: 'app/db', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      sm.send(new DeleteSecretCommand({ SecretId: 'app/db', RecoveryWindowInDays: 3 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'app/db', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'z' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'z' }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }))).DeletedDate).toBeInstanceOf(Date);
  });

  test('a repeated ClientRequestToken adds no version; the same token with another value is refused', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'tok', SecretString: 'a' }));
    const token = '5e4b7c1a-0d2f-4e3b-9a8c-7f6e5d4c3b2a';
    await sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'b', ClientRequestToken: token }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'b', ClientRequestToken: token }));
    expect(sim.secrets.get('tok')?.versions).toHaveLength(2);
    await expect(
      sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'c', ClientRequestToken: token })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  test('SSM: Overwrite with Tags is refused; exists without Overwrite and a missing name are named errors', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/app/x', Value: 'v', Type: 'SecureString', Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    await expect(
      ssm.send(
        new PutParameterCommand({
          Name: '/app/x',
          Value: 'w',
          Type: 'SecureString',
          Overwrite: true,
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("tags and overwrite can't be used together"),
    });
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/app/x', Value: 'w', Type: 'SecureString' })),
    ).rejects.toBeInstanceOf(ParameterAlreadyExists);
    await expect(ssm.send(new GetParameterCommand({ Name: '/app/none' }))).rejects.toBeInstanceOf(ParameterNotFound);
    await expect(
      ssm.send(new PutParameterCommand({ Name: 'app/y', Value: 'w', Type: 'String' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/app/x', Value: 'w', Type: 'SecureString', Overwrite: true }),
    );
    expect(put.Version).toBe(2);
    const got = await ssm.send(new GetParameterCommand({ Name: '/app/x', WithDecryption: true }));
    expect(got.Parameter).toMatchObject({ Value: 'w', Version: 2, Type: 'SecureString' });
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  test('ACM: import parses, a mismatched key and tags on a reimport are refused', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'web.contoso.com' }], { keySize: 2048 });
    const first = await acm.send(
      new ImportCertificateCommand({
        Certificate: Buffer.from(pems.cert),
        PrivateKey: Buffer.from(pems.private),
        Tags: [{ Key: 'managed-by', Value: 'keyward' }],
      }),
    );
    expect(first.CertificateArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(
      acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(pems.cert), PrivateKey: Buffer.from(other) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      acm.send(
        new ImportCertificateCommand({
          CertificateArn: first.CertificateArn,
          Certificate: Buffer.from(pems.cert),
          PrivateKey: Buffer.from(pems.private),
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('throttling and 5xx knobs answer as the services do, and the log records them without bodies', async () => {
    sim.setKnobs({ throttleRate: 1 });
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'tok' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    sim.setKnobs({ throttleRate: 0, error500Rate: 1 });
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'tok' }))).rejects.toMatchObject({
      name: 'InternalServiceError',
      $fault: 'server',
    });
    sim.setKnobs({ error500Rate: 0 });
    expect(
      sim
        .requestLog()
        .slice(-2)
        .map((e) => e.fault),
    ).toEqual(['throttled', 'error500']);
    expect(JSON.stringify(sim.requestLog())).not.toContain('"two"');
  });
});
