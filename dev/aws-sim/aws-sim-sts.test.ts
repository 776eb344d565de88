import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { startAwsSim, type RunningAwsSim } from './aws-sim';

const ROLE = 'arn:aws:iam::123456789012:role/keyward-sync';

/** STS AssumeRole through the real SDK's STS client (awsQuery, XML), and who may sign the services' calls. */
describe('AWS simulator: STS and temporary credentials', () => {
  let sim: RunningAwsSim;
  let sts: STSClient;
  const source = { accessKeyId: 'AKIASOURCE000001', secretAccessKey: 'source-secret-key-0001' };
  const sm = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new SecretsManagerClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials, maxAttempts: 1 });
  beforeAll(async () => {
    sim = await startAwsSim();
    sim.roles.set(ROLE, { arn: ROLE, externalId: 'tenant-42' });
    sim.sourceOnlyKeys.add(source.accessKeyId);
    sts = new STSClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: source, maxAttempts: 1 });
  });
  afterAll(async () => sim?.stop());

  const refusal = async (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) => {
    try {
      await sts.send(
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'keyward', ExternalId: 'tenant-42', ...input }),
      );
    } catch (error) {
      const e = error as STSServiceException;
      return { name: e.name, status: e.$metadata.httpStatusCode };
    }
    throw new Error('not refused');
  };

  test('AssumeRole answers temporary credentials the SDK parses; they sign later calls with their token', async () => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: ROLE,
        RoleSessionName: 'keyward',
        ExternalId: 'tenant-42',
        DurationSeconds: 900,
      }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/keyward-sync/keyward');
    const c = out.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA/);
    expect(c?.Expiration).toBeInstanceOf(Date);
    const temporary = {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    };
    await sm(temporary).send(new CreateSecretCommand({ Name: 'by-role', SecretString: 'v' }));
    expect(sim.secrets.has('by-role')).toBe(true);
    // Without its session token the temporary key is not recognised; the source key may not call the service.
    const { sessionToken: _dropped, ...tokenless } = temporary;
    await expect(sm(tokenless).send(new CreateSecretCommand({ Name: 'x1', SecretString: 'v' }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    await expect(sm(source).send(new CreateSecretCommand({ Name: 'x2', SecretString: 'v' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(sim.secrets.has('x1') || sim.secrets.has('x2')).toBe(false);
  });

  test('refusals: role ARN shape, session name, duration, unknown role and a wrong external id', async () => {
    expect(await refusal({ RoleArn: 'arn:aws:iam::123456789012:user/not-a-role' })).toEqual({
      name: 'ValidationError',
      status: 400,
    });
    expect(await refusal({ RoleSessionName: 'has space' })).toEqual({ name: 'ValidationError', status: 400 });
    expect(await refusal({ DurationSeconds: 899 })).toEqual({ name: 'ValidationError', status: 400 });
    expect(await refusal({ DurationSeconds: 7200 })).toEqual({ name: 'ValidationError', status: 400 }); // > role max
    expect(await refusal({ RoleArn: 'arn:aws:iam::123456789012:role/nobody' })).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    expect(await refusal({ ExternalId: 'tenant-43' })).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await refusal({ ExternalId: undefined })).toEqual({ name: 'AccessDenied', status: 403 });
    expect(sim.requestLog().filter((e) => e.service === 'sts' && e.status !== 200)).toHaveLength(7);
  });

  test('expired temporary credentials are refused', async () => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const timed = await startAwsSim({ now: () => new Date(clock) });
    try {
      timed.roles.set(ROLE, { arn: ROLE });
      const client = new STSClient({
        region: 'us-east-1',
        endpoint: timed.endpoint,
        credentials: source,
        maxAttempts: 1,
      });
      const c = (await client.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'keyward' }))).Credentials;
      clock += 3601_000;
      const expired = new SecretsManagerClient({
        region: 'us-east-1',
        endpoint: timed.endpoint,
        maxAttempts: 1,
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? '',
        },
      });
      await expect(expired.send(new CreateSecretCommand({ Name: 'late', SecretString: 'v' }))).rejects.toMatchObject({
        name: 'ExpiredTokenException',
      });
    } finally {
      await timed.stop();
    }
  });
});
