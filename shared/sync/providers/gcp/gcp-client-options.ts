import { gcpEndpoint, type ProviderEndpoints } from '../provider-endpoints';

/** The service-account key fields the clients use (the rest of the key file is ignored). */
export interface GcpServiceAccount {
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
}

export function parseServiceAccountKey(json: string): GcpServiceAccount {
  const parsed = JSON.parse(json) as Partial<GcpServiceAccount> & { type?: string };
  if (parsed.type !== 'service_account' || !parsed.client_email || !parsed.private_key) {
    throw new Error('The GCP credential is not a service-account key file');
  }
  return {
    client_email: parsed.client_email,
    private_key: parsed.private_key,
    ...(parsed.private_key_id ? { private_key_id: parsed.private_key_id } : {}),
  };
}

/**
 * Options for the GCP clients: REST transport (`fallback: true`, HTTP/1.1 JSON, so no gRPC is needed to reach the
 * simulator or a proxy), the service account's own key (the library signs its own JWT), and the endpoint from app
 * settings — required in local mode.
 */
export function gcpClientOptions(account: GcpServiceAccount, endpoints: ProviderEndpoints) {
  const endpoint = gcpEndpoint(endpoints);
  return {
    fallback: true as const,
    credentials: { client_email: account.client_email, private_key: account.private_key },
    // Node's own fetch: gaxios 7 otherwise loads node-fetch with a dynamic import(), which fails inside a VM
    // context such as jest's and is one more module on the cold path.
    clientOptions: { transporterOptions: { fetchImplementation: globalThis.fetch } },
    ...(endpoint ?? {}),
  };
}
