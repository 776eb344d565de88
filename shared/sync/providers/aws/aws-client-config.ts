import { awsEndpoint, type ProviderEndpoints } from '../provider-endpoints';

export interface AwsAccess {
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The configuration every AWS client of a sync target is built with: the destination's region and access key,
 * the endpoint from app settings (required in local mode), and the SDK's own retries off (`maxAttempts: 1`)
 * because the worker retries within its per-provider budget (shared/sync/sync-retry.ts).
 */
export function awsClientConfig(access: AwsAccess, endpoints: ProviderEndpoints) {
  const endpoint = awsEndpoint(endpoints);
  return {
    region: access.region,
    credentials: { accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey },
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
  };
}
