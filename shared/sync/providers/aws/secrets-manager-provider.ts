import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  absent,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  ownershipTags,
  type PushInput,
  type SyncPayload,
  type SyncProvider,
  type TargetState,
} from '../sync-provider';
import { awsError, isAwsCode } from './aws-errors';

/** What goes into a secret's SecretString: the value, or a certificate as one PEM bundle (leaf, chain, key). */
export function secretStringOf(payload: SyncPayload): string {
  if (payload.kind === 'secret') return payload.value;
  return [payload.certificatePem, payload.chainPem, payload.privateKeyPem].filter(Boolean).join('\n');
}

export const awsTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * AWS Secrets Manager. Creates carry the ownership tags; updates move them (TagResource) and then are one
 * PutSecretValue with a ClientRequestToken
 * derived from (record, source version), so a retried or redelivered push never adds a second version. Deletes
 * always use RecoveryWindowInDays, never ForceDeleteWithoutRecovery.
 */
export function secretsManagerProvider(
  client: SecretsManagerClient,
  options: { kmsKeyId?: string | undefined },
): SyncProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw awsError(error);
    }
  };

  return {
    deletes: 'recoveryWindow',
    async describe(name): Promise<TargetState> {
      let out;
      try {
        out = await client.send(new sdk.DescribeSecretCommand({ SecretId: name }));
      } catch (error) {
        if (isAwsCode(error, 'ResourceNotFoundException')) return absent;
        throw awsError(error);
      }
      const current = Object.entries(out.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'));
      return {
        exists: true,
        owned: (out.Tags ?? []).some((t) => t.Key === MANAGED_BY_KEY && t.Value === MANAGED_BY_VALUE),
        version: current?.[0] ?? null,
        ref: out.ARN ?? null,
        pendingDeletion: out.DeletedDate !== undefined,
      };
    },
    async push(input: PushInput) {
      const SecretString = secretStringOf(input.payload);
      if (!input.state.exists) {
        const out = await call(() =>
          client.send(
            new sdk.CreateSecretCommand({
              Name: input.targetName,
              ClientRequestToken: input.idempotencyKey,
              SecretString,
              Description: `Synced by Keyward from ${input.ownership.sourceVault}/${input.ownership.sourceName}`,
              Tags: awsTags(ownershipTags(input.ownership)),
              ...(options.kmsKeyId ? { KmsKeyId: options.kmsKeyId } : {}),
            }),
          ),
        );
        return { version: out.VersionId ?? input.idempotencyKey, ref: out.ARN ?? input.targetName };
      }
      // The ownership tags (with the new source version) go first: a failure after them is retried whole, so the
      // value follows; the other order could leave a landed value under the old version's tag.
      const secretId = input.state.ref ?? input.targetName;
      await call(() =>
        client.send(new sdk.TagResourceCommand({ SecretId: secretId, Tags: awsTags(ownershipTags(input.ownership)) })),
      );
      const out = await call(() =>
        client.send(
          new sdk.PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: input.idempotencyKey,
            SecretString,
          }),
        ),
      );
      return { version: out.VersionId ?? input.idempotencyKey, ref: out.ARN ?? input.targetName };
    },
    async adopt(name, state, ownership) {
      await call(() =>
        client.send(
          new sdk.TagResourceCommand({ SecretId: state.ref ?? name, Tags: awsTags(ownershipTags(ownership)) }),
        ),
      );
    },
    async remove(name, state, recoveryWindowDays) {
      const out = await call(() =>
        client.send(
          new sdk.DeleteSecretCommand({ SecretId: state.ref ?? name, RecoveryWindowInDays: recoveryWindowDays }),
        ),
      );
      return { finalAt: out.DeletionDate ? out.DeletionDate.toISOString() : null };
    },
    async probe() {
      try {
        await client.send(new sdk.DescribeSecretCommand({ SecretId: 'keyward-connection-test' }));
      } catch (error) {
        if (!isAwsCode(error, 'ResourceNotFoundException')) throw awsError(error);
      }
    },
  };
}
