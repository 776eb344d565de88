import { awsEndpoint, type ProviderEndpoints } from '../provider-endpoints';

export interface AwsAccess {
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The role a connection assumes; the stored access key is then only STS's source credential. */
export interface AwsRole {
  readonly roleArn: string;
  readonly externalId?: string | undefined;
  readonly sessionName: string;
}

interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The shortest session STS grants: a sync needs minutes, and the SDK renews 5 minutes before expiry. */
const SESSION_SECONDS = 900;

/**
 * The configuration every AWS client of a sync target is built with: the destination's region and credentials,
 * the endpoint from app settings (required in local mode), and the SDK's own retries off (`maxAttempts: 1`)
 * because the worker retries within its per-provider budget (shared/sync/sync-retry.ts). With a role, the
 * credentials are STS AssumeRole's temporary ones, asked for with the stored access key through the same
 * endpoint setting (the local simulator serves STS beside the three services), and renewed by the SDK's own
 * credential memoization before they expire.
 */
export function awsClientConfig(access: AwsAccess, endpoints: ProviderEndpoints, role?: AwsRole) {
  const endpoint = awsEndpoint(endpoints);
  const base = {
    region: access.region,
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
  };
  const longTerm: AwsCredentialIdentity = { accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey };
  return { ...base, credentials: role ? assumedRole({ ...base, credentials: longTerm }, role) : longTerm };
}

function assumedRole(stsConfig: { region: string; credentials: AwsCredentialIdentity }, role: AwsRole) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  const sts = new sdk.STSClient(stsConfig);
  const provider = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new sdk.AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  return provider;
}
