import type { SecretClient } from '@azure/keyvault-secrets';
import {
  absent,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  ownershipTags,
  SyncProviderError,
  type SyncProvider,
  type TargetState,
} from '../sync-provider';

interface RestLikeError {
  readonly statusCode?: number;
  readonly code?: string;
}

function keyVaultError(error: unknown): SyncProviderError {
  if (error instanceof SyncProviderError) return error;
  const e = (error ?? {}) as RestLikeError;
  const status = e.statusCode ?? 0;
  const code = e.code ?? (status ? `HTTP${status}` : 'UnknownError');
  if (status === 429) return new SyncProviderError(code, true, false);
  if (status >= 500 || status === 0) return new SyncProviderError(code, true, true);
  return new SyncProviderError(code, false, false);
}

/**
 * Another Key Vault, reached with Keyward's own identity. Key Vault tags belong to each version, so every push
 * writes the ownership tags with the value (one write). Deletes are Key Vault's soft delete: recoverable for the
 * vault's retention period. Reading a target's state uses getSecret, whose value is dropped at once: Key Vault has
 * no metadata-only read of the latest version.
 */
export function keyVaultProvider(client: SecretClient): SyncProvider {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw keyVaultError(error);
    }
  };
  return {
    deletes: 'softDelete',
    async describe(name): Promise<TargetState> {
      try {
        const { properties } = await client.getSecret(name);
        return {
          exists: true,
          owned: properties.tags?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE,
          version: properties.version ?? null,
          ref: properties.id ?? null,
          pendingDeletion: false,
        };
      } catch (error) {
        if ((error as RestLikeError).statusCode === 404) return absent;
        throw keyVaultError(error);
      }
    },
    async push(input) {
      const value = input.payload.kind === 'secret' ? input.payload.value : input.payload.keyVaultValue;
      const contentType =
        input.payload.kind === 'secret' ? input.payload.contentType : input.payload.keyVaultContentType;
      const out = await call(() =>
        client.setSecret(input.targetName, value, {
          tags: ownershipTags(input.ownership),
          ...(contentType ? { contentType } : {}),
        }),
      );
      return { version: out.properties.version ?? '', ref: out.properties.id ?? input.targetName };
    },
    async adopt(name, state, ownership) {
      const { properties } = await call(() => client.getSecret(name));
      await call(() =>
        client.updateSecretProperties(name, state.version ?? properties.version ?? '', {
          tags: { ...properties.tags, ...ownershipTags(ownership) },
        }),
      );
    },
    async remove(name) {
      const poller = await call(() => client.beginDeleteSecret(name));
      const deleted = poller.getResult();
      return { finalAt: deleted?.scheduledPurgeDate?.toISOString() ?? null };
    },
    async probe() {
      const pages = client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 });
      await call(() => pages.next());
    },
  };
}
