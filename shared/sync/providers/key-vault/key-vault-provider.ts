import type { CertificateClient } from '@azure/keyvault-certificates';
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
export function keyVaultProvider(client: SecretClient, certificates: CertificateClient): SyncProvider {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw keyVaultError(error);
    }
  };
  return {
    deletes: 'softDelete',
    async describe(name, _ref, kind): Promise<TargetState> {
      try {
        if (kind === 'certificate') {
          const cert = await certificates.getCertificate(name);
          return {
            exists: true,
            owned: cert.properties.tags?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE,
            version: cert.properties.version ?? null,
            ref: cert.id ?? null,
            pendingDeletion: false,
          };
        }
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
      const payload = input.payload;
      if (payload.kind === 'certificate') {
        // A certificate goes in as a certificate (with its key), not as a secret: import the PKCS#12 or PEM.
        const pem = payload.keyVaultContentType === 'application/x-pem-file';
        const cert = await call(() =>
          certificates.importCertificate(
            input.targetName,
            pem ? Buffer.from(payload.keyVaultValue) : Buffer.from(payload.keyVaultValue, 'base64'),
            {
              tags: ownershipTags(input.ownership),
              policy: { contentType: pem ? 'application/x-pem-file' : 'application/x-pkcs12' },
            },
          ),
        );
        return { version: cert.properties.version ?? '', ref: cert.id ?? input.targetName };
      }
      const value = payload.value;
      const contentType = payload.contentType;
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
