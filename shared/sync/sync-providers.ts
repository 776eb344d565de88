import type { CloudClients } from '../cloud/cloud-clients';
import { acmProvider } from './providers/aws/acm-provider';
import { awsClientConfig } from './providers/aws/aws-client-config';
import { parameterStoreProvider } from './providers/aws/parameter-store-provider';
import { secretsManagerProvider } from './providers/aws/secrets-manager-provider';
import { gcpCertificateManagerProvider } from './providers/gcp/certificate-manager-provider';
import { gcpClientOptions, parseServiceAccountKey } from './providers/gcp/gcp-client-options';
import { gcpSecretManagerProvider } from './providers/gcp/secret-manager-provider';
import { keyVaultProvider } from './providers/key-vault/key-vault-provider';
import type { ProviderEndpoints } from './providers/provider-endpoints';
import type { SyncProvider } from './providers/sync-provider';
import type { CredentialVault } from './sync-credentials';
import type { SyncProviderKind, SyncRule } from './sync-schemas';
import type { StoredConfig } from './sync-store';

export class MissingCredentialsError extends Error {
  constructor(what: string) {
    super(`The sync config has no ${what}: save the connection with its credentials again`);
    this.name = 'MissingCredentialsError';
  }
}

export type ProviderFor = (config: StoredConfig, rule: SyncRule) => Promise<SyncProvider>;

/**
 * Builds a config's provider with its SDK client. SDK modules load here, on first use; credentials are read
 * from Keyward's vault by reference. Providers are kept per config version for a few minutes, so a sync of a
 * thousand objects reads the credentials once, not once per object.
 */
export function createProviderFactory(deps: {
  readonly endpoints: ProviderEndpoints;
  readonly credentials: CredentialVault;
  readonly cloud: Pick<CloudClients, 'secrets' | 'certificates'>;
  readonly nowMs?: () => number;
}): ProviderFor {
  const nowMs = deps.nowMs ?? (() => Date.now());
  const cache = new Map<string, { at: number; provider: Promise<SyncProvider> }>();

  async function secrets(config: StoredConfig) {
    if (!config.credentialRef) throw new MissingCredentialsError('credentials');
    return deps.credentials.get(config.credentialRef);
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const builders: Record<SyncProviderKind, (config: StoredConfig, rule: SyncRule) => Promise<SyncProvider>> = {
    async awsSecretsManager(config, rule) {
      const sdk = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
      return secretsManagerProvider(new sdk.SecretsManagerClient(await awsConfig(config)), { kmsKeyId: rule.kmsKeyId });
    },
    async awsParameterStore(config, rule) {
      const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
      return parameterStoreProvider(new sdk.SSMClient(await awsConfig(config)), { kmsKeyId: rule.kmsKeyId });
    },
    async awsAcm(config) {
      const sdk = require('@aws-sdk/client-acm') as typeof import('@aws-sdk/client-acm');
      return acmProvider(new sdk.ACMClient(await awsConfig(config)));
    },
    async gcpSecretManager(config, rule) {
      const sdk = require('@google-cloud/secret-manager') as typeof import('@google-cloud/secret-manager');
      const gcp = needGcp(config);
      const client = new sdk.SecretManagerServiceClient(await gcpOptions(config));
      return gcpSecretManagerProvider(client, {
        projectId: gcp.projectId,
        replicationLocations: rule.gcpReplicationLocations,
      });
    },
    async gcpCertificateManager(config) {
      const sdk = require('@google-cloud/certificate-manager') as typeof import('@google-cloud/certificate-manager');
      const gcp = needGcp(config);
      const client = new sdk.CertificateManagerClient(await gcpOptions(config));
      return gcpCertificateManagerProvider(client, { projectId: gcp.projectId, location: gcp.location });
    },
    keyVault(config) {
      const uri = config.connection.keyVault?.vaultUri;
      if (!uri) return Promise.reject(new MissingCredentialsError('target vault'));
      return Promise.resolve(keyVaultProvider(deps.cloud.secrets(uri), deps.cloud.certificates(uri)));
    },
  };
  /* eslint-enable @typescript-eslint/no-require-imports */

  async function awsConfig(config: StoredConfig) {
    const aws = config.connection.aws;
    if (!aws) throw new MissingCredentialsError('AWS connection');
    const secretAccessKey = (await secrets(config)).awsSecretAccessKey;
    if (!secretAccessKey) throw new MissingCredentialsError('AWS secret access key');
    const role = aws.roleArn
      ? { roleArn: aws.roleArn, externalId: aws.externalId, sessionName: aws.roleSessionName ?? 'keyward-sync' }
      : undefined;
    return awsClientConfig({ region: aws.region, accessKeyId: aws.accessKeyId, secretAccessKey }, deps.endpoints, role);
  }
  function needGcp(config: StoredConfig) {
    const gcp = config.connection.gcp;
    if (!gcp) throw new MissingCredentialsError('GCP connection');
    return gcp;
  }
  async function gcpOptions(config: StoredConfig) {
    const key = (await secrets(config)).gcpServiceAccountKey;
    if (!key) throw new MissingCredentialsError('GCP service-account key');
    return gcpClientOptions(parseServiceAccountKey(key), deps.endpoints);
  }

  return (config, rule) => {
    const key = `${config.id}|${config.updatedAt}|${rule.kmsKeyId ?? ''}|${rule.gcpReplicationLocations.join(',')}`;
    const hit = cache.get(key);
    if (hit && nowMs() - hit.at < 5 * 60_000) return hit.provider;
    const provider = builders[config.provider](config, rule);
    provider.catch(() => cache.delete(key));
    cache.set(key, { at: nowMs(), provider });
    return provider;
  };
}
