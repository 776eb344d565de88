import { Agent } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { KeyVaultManagementClient } from '@azure/arm-keyvault';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { CertificateClient } from '@azure/keyvault-certificates';
import type { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import type { SecretClient } from '@azure/keyvault-secrets';
import { readAppSetting } from '../config/app-settings';
import { azureCredential } from '../runtime/azure-credential';
import { createGraphReader, type GraphReader } from './graph-reader';
import { KEY_VAULT_SCOPE, keyVaultScopeOf, keyVaultTokenPolicy } from './keyvault-token-policy';

/** Options every client accepts: extra per-attempt policies (the request budget) and, for vaults, its connections. */
export interface ClientExtras {
  readonly policies?: readonly PipelinePolicy[];
  /** The connection pool to use instead of the shared one (`vaultAgent`). */
  readonly agent?: Agent;
}

/**
 * Connections one vault's clients may hold at once: its three list calls and its detail reads (4 at a time) go
 * over at most these, reused request after request.
 */
export const VAULT_CONNECTIONS = 4;

/** Where the Azure APIs are and how to reach them; read from app settings only (simulator and Azure differ here). */
export interface CloudSettings {
  readonly armEndpoint: string;
  readonly graphEndpoint: string;
  readonly simulator: boolean;
  /** PEM of an extra CA to trust (in-process tests against the simulator); production leaves it undefined. */
  readonly caCertPem?: string;
}

export function cloudSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudSettings {
  return {
    armEndpoint: readAppSetting('KEYWARD_ARM_ENDPOINT', env).replace(/\/+$/, ''),
    graphEndpoint: readAppSetting('KEYWARD_GRAPH_ENDPOINT', env).replace(/\/+$/, ''),
    simulator: readAppSetting('KEYWARD_AZURE_SIMULATOR', env) === 'true',
  };
}

/**
 * Azure SDK clients built from settings with the process's one cached credential. SDK modules load on first use
 * (cold start). Clients are cheap to build; per-vault clients carry that vault's budget policy.
 */
export function createCloudClients(settings: CloudSettings, credential: TokenCredential = azureCredential()) {
  // One HTTP client (and so one keep-alive pool) for ARM and Graph, whose few hosts every unit talks to. The pool is
  // cached per TLS settings object, so that object is built once too. A vault's clients share a pool of their own
  // (`vaultAgent`), so its three kinds reuse each other's connections and all of them close with the vault.
  const httpClient = createDefaultHttpClient();
  const tlsOptions = settings.caCertPem ? { tlsOptions: { ca: settings.caCertPem } } : {};
  // One TLS context for every vault's pool, built on first use: without it each new connection builds its own
  // (OpenSSL's context set-up, ~0.25 ms — a quarter of a second per thousand connections).
  let vaultTls: SecureContext | undefined;
  const common = (extras: ClientExtras) => ({
    additionalPolicies: (extras.policies ?? []).map((policy) => ({ policy, position: 'perRetry' as const })),
    httpClient,
    ...tlsOptions,
    ...(extras.agent ? { agent: extras.agent } : {}),
  });
  // One token policy per Key Vault scope (its token cache is shared by every vault of that cloud).
  const tokenPolicies = new Map<string, PipelinePolicy>();
  const keyVaultOptions = (extras: ClientExtras) => ({
    ...common(extras),
    // Vaults of the simulator live on 127.0.0.1, not under vault.azure.net; never relaxed against Azure.
    ...(settings.simulator ? { disableChallengeResourceVerification: true } : {}),
  });

  return {
    settings,
    subscriptions(extras: ClientExtras = {}): SubscriptionClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/arm-resources-subscriptions') as typeof import('@azure/arm-resources-subscriptions');
      return new sdk.SubscriptionClient(credential, {
        ...common(extras),
        $host: settings.armEndpoint,
        endpoint: settings.armEndpoint,
        credentialScopes: [`${settings.armEndpoint}/.default`],
      });
    },
    keyVaultManagement(subscriptionId: string, extras: ClientExtras = {}): KeyVaultManagementClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/arm-keyvault') as typeof import('@azure/arm-keyvault');
      return new sdk.KeyVaultManagementClient(credential, subscriptionId, {
        ...common(extras),
        endpoint: settings.armEndpoint,
        credentials: { scopes: [`${settings.armEndpoint}/.default`] },
      });
    },
    secrets(vaultUri: string, extras: ClientExtras = {}): SecretClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets');
      return new sdk.SecretClient(vaultUri, credential, keyVaultOptions(extras));
    },
    certificates(vaultUri: string, extras: ClientExtras = {}): CertificateClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/keyvault-certificates') as typeof import('@azure/keyvault-certificates');
      return new sdk.CertificateClient(vaultUri, credential, keyVaultOptions(extras));
    },
    keys(vaultUri: string, extras: ClientExtras = {}): KeyClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/keyvault-keys') as typeof import('@azure/keyvault-keys');
      return new sdk.KeyClient(vaultUri, credential, keyVaultOptions(extras));
    },
    /** Signs with a Key Vault key (by its key id URL): the private key never leaves Key Vault. */
    cryptography(keyId: string, extras: ClientExtras = {}): CryptographyClient {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@azure/keyvault-keys') as typeof import('@azure/keyvault-keys');
      return new sdk.CryptographyClient(keyId, credential, keyVaultOptions(extras));
    },
    /**
     * A connection pool for one vault's clients, to `destroy()` when the vault is done. Each vault is a host of its
     * own that a scan contacts once: connections left in the shared pool would stay open until Azure drops them
     * (minutes), one or more per vault — thousands in a large estate, against the instance's outbound connection
     * and SNAT port limits.
     */
    vaultAgent(): Agent {
      vaultTls ??= createSecureContext(settings.caCertPem ? { ca: settings.caCertPem } : {});
      return new Agent({ keepAlive: true, maxSockets: VAULT_CONNECTIONS, secureContext: vaultTls });
    },
    /**
     * The policy that sends a token with the first read of a vault's clients instead of waiting for Key Vault's
     * 401 challenge (`keyvault-token-policy.ts`); null when the vault's scope is unknown (the SDK then asks).
     */
    keyVaultReadToken(vaultUri: string): PipelinePolicy | null {
      const scope = keyVaultScopeOf(vaultUri) ?? (settings.simulator ? KEY_VAULT_SCOPE : null);
      if (!scope) return null;
      const policy = tokenPolicies.get(scope) ?? keyVaultTokenPolicy(credential, scope);
      tokenPolicies.set(scope, policy);
      return policy;
    },
    /**
     * The tenant the app's identity belongs to: the `tid` of its ARM token. Not the first listed subscription's
     * tenant — a subscription delegated from a customer (Azure Lighthouse) lists under its own home tenant.
     */
    async homeTenantId(): Promise<string | null> {
      const token = await credential.getToken(`${settings.armEndpoint}/.default`);
      return token ? tenantOfToken(token.token) : null;
    },
    graph(extras: ClientExtras = {}): GraphReader {
      return createGraphReader({ endpoint: settings.graphEndpoint, credential, ...common(extras) });
    },
  };
}

export type CloudClients = ReturnType<typeof createCloudClients>;

/** The `tid` claim of an Entra ID access token (read, not verified: the token is our own, fresh from Entra ID). */
export function tenantOfToken(token: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      tid?: unknown;
    };
    return typeof claims.tid === 'string' && /^[0-9a-f-]{36}$/i.test(claims.tid) ? claims.tid.toLowerCase() : null;
  } catch {
    return null;
  }
}
