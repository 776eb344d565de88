import type { SecretClient } from '@azure/keyvault-secrets';
import { credentialsInputSchema, type SyncCredentialsInput } from './sync-schemas';
import type { CredentialRef } from './sync-store';

/**
 * Provider credentials live in Keyward's own Key Vault (KEYWARD_VAULT_URI), one secret per config; the config
 * row keeps only the secret's name and version. Table Storage, responses, logs and messages never see them.
 */
export interface CredentialVault {
  readonly configured: boolean;
  put(configId: string, credentials: SyncCredentialsInput): Promise<CredentialRef>;
  get(ref: CredentialRef): Promise<SyncCredentialsInput>;
  /** Soft-deletes the secret (recoverable for the vault's retention). */
  remove(ref: CredentialRef): Promise<void>;
}

export class CredentialVaultMissingError extends Error {
  constructor() {
    super("Provider credentials need Keyward's own Key Vault: set KEYWARD_VAULT_URI");
    this.name = 'CredentialVaultMissingError';
  }
}

export function keyVaultCredentials(client: SecretClient | null): CredentialVault {
  const vault = (): SecretClient => {
    if (!client) throw new CredentialVaultMissingError();
    return client;
  };
  return {
    configured: client !== null,
    async put(configId, credentials) {
      const secretName = `keyward-sync-${configId}`;
      const out = await vault().setSecret(secretName, JSON.stringify(credentials), {
        contentType: 'application/json',
        tags: { 'managed-by': 'keyward', purpose: 'sync-credentials' },
      });
      return { secretName, version: out.properties.version ?? '' };
    },
    async get(ref) {
      const secret = await vault().getSecret(ref.secretName, { version: ref.version });
      return credentialsInputSchema.parse(JSON.parse(secret.value ?? '{}'));
    },
    async remove(ref) {
      await vault().beginDeleteSecret(ref.secretName);
    },
  };
}
