import type { SSMClient } from '@aws-sdk/client-ssm';
import { absent, MANAGED_BY_KEY, MANAGED_BY_VALUE, ownershipTags, type SyncProvider } from '../sync-provider';
import { awsError, isAwsCode } from './aws-errors';
import { awsTags, secretStringOf } from './secrets-manager-provider';

/**
 * SSM Parameter Store, `SecureString`. A create is PutParameter with Tags and without Overwrite; an update is
 * AddTagsToResource (the new source version) then PutParameter with Overwrite and without Tags (SSM refuses both
 * together). Parameter Store has no recovery window, so Keyward never deletes parameters.
 */
export function parameterStoreProvider(client: SSMClient, options: { kmsKeyId?: string | undefined }): SyncProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw awsError(error);
    }
  };
  const addTags = (name: string, tags: Record<string, string>) =>
    call(() =>
      client.send(
        new sdk.AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: awsTags(tags) }),
      ),
    );
  return {
    deletes: 'none',
    async describe(name) {
      let parameter;
      try {
        parameter = (await client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: false }))).Parameter;
      } catch (error) {
        if (isAwsCode(error, 'ParameterNotFound')) return absent;
        throw awsError(error);
      }
      const tags = await call(() =>
        client.send(new sdk.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name })),
      );
      return {
        exists: true,
        owned: (tags.TagList ?? []).some((t) => t.Key === MANAGED_BY_KEY && t.Value === MANAGED_BY_VALUE),
        version: parameter?.Version !== undefined ? String(parameter.Version) : null,
        ref: parameter?.ARN ?? name,
        pendingDeletion: false,
      };
    },
    async push(input) {
      // An update moves the ownership tags first (PutParameter with Overwrite may not carry them); see Secrets Manager.
      if (input.state.exists) await addTags(input.targetName, ownershipTags(input.ownership));
      const common = {
        Name: input.targetName,
        Value: secretStringOf(input.payload),
        Type: 'SecureString' as const,
        ...(options.kmsKeyId ? { KeyId: options.kmsKeyId } : {}),
      };
      const out = await call(() =>
        client.send(
          new sdk.PutParameterCommand(
            input.state.exists
              ? { ...common, Overwrite: true }
              : { ...common, Tags: awsTags(ownershipTags(input.ownership)) },
          ),
        ),
      );
      return { version: String(out.Version ?? ''), ref: input.state.ref ?? input.targetName };
    },
    async adopt(name, _state, ownership) {
      await addTags(name, ownershipTags(ownership));
    },
    remove() {
      return Promise.reject(new Error('Parameter Store has no recovery window; Keyward does not delete parameters'));
    },
    async probe() {
      try {
        await client.send(new sdk.GetParameterCommand({ Name: '/keyward-connection-test' }));
      } catch (error) {
        if (!isAwsCode(error, 'ParameterNotFound')) throw awsError(error);
      }
    },
  };
}
