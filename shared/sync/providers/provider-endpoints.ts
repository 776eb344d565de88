/**
 * Where the AWS and GCP clients connect. Production leaves both unset (the SDKs' own regional endpoints); local
 * runs and tests set them to the simulators. In local mode a missing endpoint is refused before any client is
 * built, so a laptop or a test can never reach a real cloud by accident (research/cloud-apis.md §0.7).
 */
export interface ProviderEndpoints {
  readonly aws: string | null;
  readonly gcp: string | null;
  readonly localMode: boolean;
}

export class MissingEndpointError extends Error {
  constructor(setting: string) {
    super(`${setting} must be set in local mode: sync clients never fall back to a real cloud endpoint locally`);
    this.name = 'MissingEndpointError';
  }
}

export function awsEndpoint(endpoints: ProviderEndpoints): string | null {
  if (endpoints.localMode && !endpoints.aws) throw new MissingEndpointError('SYNC_AWS_ENDPOINT');
  return endpoints.aws;
}

/** The GCP clients take host, port and protocol apart (`apiEndpoint: '127.0.0.1:4596'` alone would call :443). */
export function gcpEndpoint(
  endpoints: ProviderEndpoints,
): { apiEndpoint: string; port: number; protocol: 'http' | 'https' } | null {
  if (endpoints.localMode && !endpoints.gcp) throw new MissingEndpointError('SYNC_GCP_ENDPOINT');
  if (!endpoints.gcp) return null;
  const url = new URL(endpoints.gcp);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { apiEndpoint: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}
