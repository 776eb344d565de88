import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { secretStringOf } from '../aws/secrets-manager-provider';
import { absent, MANAGED_BY_KEY, MANAGED_BY_VALUE, type SyncProvider, type TargetState } from '../sync-provider';
import { gcpError, isGcpStatus } from './gcp-errors';
import { ownershipLabels } from './gcp-labels';

/** Per-call options: the worker retries within its budget, so the library's own retries are off. */
const once = { maxRetries: 0 } as never;

/**
 * GCP Secret Manager over REST. A create is createSecret (labels, replication) then addSecretVersion; an update
 * is a labels update (the new source version) and one addSecretVersion. GCP has no request token, so after an ambiguous failure the worker re-describes and
 * counts the write as applied when the newest version moved (shared/sync/sync-worker.ts). Secret deletion is final
 * in GCP, so Keyward never deletes there.
 */
export function gcpSecretManagerProvider(
  client: SecretManagerServiceClient,
  options: { projectId: string; replicationLocations: readonly string[] },
): SyncProvider {
  const secretPath = (id: string) => `projects/${options.projectId}/secrets/${id}`;
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw gcpError(error);
    }
  };
  async function latestVersion(id: string): Promise<string | null> {
    try {
      const [version] = await client.getSecretVersion({ name: `${secretPath(id)}/versions/latest` }, once);
      return version.name?.split('/').at(-1) ?? null;
    } catch (error) {
      if (isGcpStatus(error, 'NOT_FOUND')) return null;
      throw gcpError(error);
    }
  }
  /** The whole label map: an update with the `labels` mask replaces it, so callers merge into the current one. */
  const setLabels = (id: string, labels: Record<string, string>) =>
    call(() =>
      client.updateSecret({ secret: { name: secretPath(id), labels }, updateMask: { paths: ['labels'] } }, once),
    );
  return {
    deletes: 'none',
    async describe(id): Promise<TargetState> {
      let secret;
      try {
        [secret] = await client.getSecret({ name: secretPath(id) }, once);
      } catch (error) {
        if (isGcpStatus(error, 'NOT_FOUND')) return absent;
        throw gcpError(error);
      }
      return {
        exists: true,
        owned: secret.labels?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE,
        version: await latestVersion(id),
        ref: secret.name ?? secretPath(id),
        pendingDeletion: false,
        tags: secret.labels ?? {},
      };
    },
    async push(input) {
      if (!input.state.exists) {
        const replication = options.replicationLocations.length
          ? { userManaged: { replicas: options.replicationLocations.map((location) => ({ location })) } }
          : { automatic: {} };
        await call(() =>
          client.createSecret(
            {
              parent: `projects/${options.projectId}`,
              secretId: input.targetName,
              secret: { replication, labels: ownershipLabels(input.ownership) },
            },
            once,
          ),
        );
      } else {
        // The labels move to the new source version first (see the AWS providers for why before the value).
        await setLabels(input.targetName, { ...input.state.tags, ...ownershipLabels(input.ownership) });
      }
      const [version] = await call(() =>
        client.addSecretVersion(
          { parent: secretPath(input.targetName), payload: { data: Buffer.from(secretStringOf(input.payload)) } },
          once,
        ),
      );
      return { version: version.name?.split('/').at(-1) ?? '', ref: secretPath(input.targetName) };
    },
    async adopt(id, state, ownership) {
      await setLabels(id, { ...state.tags, ...ownershipLabels(ownership) });
    },
    remove() {
      return Promise.reject(new Error('GCP secret deletion is final; Keyward does not delete secrets there'));
    },
    async probe() {
      await call(() =>
        client.listSecrets(
          { parent: `projects/${options.projectId}`, pageSize: 1 },
          { ...(once as object), autoPaginate: false },
        ),
      );
    },
  };
}
