import { createHash } from 'node:crypto';
import * as aws from './aws-protocol';

/**
 * SSM Parameter Store, the operations Keyward calls. The refusals that matter (research/cloud-apis.md §1):
 * `Overwrite` with `Tags` is a ValidationException (tag an existing parameter with AddTagsToResource instead),
 * an existing name without `Overwrite` is ParameterAlreadyExists, a missing one ParameterNotFound; a path name
 * must start with `/`; standard-tier values are at most 4 KB. Member names from the SDK's models.
 */
export interface SimParameter {
  readonly name: string;
  type: string;
  value: string;
  version: number;
  lastModified: Date;
  keyId?: string;
  tags: aws.AwsTag[];
}

const NAME = { min: 1, max: 2048, pattern: /^[a-zA-Z0-9_.\-/]+$/ };
const TYPES = ['String', 'StringList', 'SecureString'];

export function createSsm(region: string, accountId: string, now: () => Date) {
  const parameters = new Map<string, SimParameter>();
  const arn = (name: string) => `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

  function readName(body: aws.AwsBody, field: string): string {
    const name = aws.requiredString(body, field, NAME);
    if (name.includes('/') && !name.startsWith('/')) {
      throw new aws.AwsError(
        'ValidationException',
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it must be fully qualified with the first "/".',
      );
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw new aws.AwsError(
        'ValidationException',
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
      );
    }
    return name;
  }
  const mustFind = (name: string): SimParameter => {
    const p = parameters.get(name);
    if (!p) throw new aws.AwsError('ParameterNotFound', '');
    return p;
  };
  const resource = (body: aws.AwsBody): SimParameter => {
    const type = aws.requiredString(body, 'ResourceType');
    if (type !== 'Parameter')
      throw new aws.AwsError('InvalidResourceType', `${type} is not supported by this simulator`);
    const id = aws.requiredString(body, 'ResourceId', { min: 1 });
    const p = parameters.get(id);
    if (!p)
      throw new aws.AwsError(
        'InvalidResourceId',
        'The resource ID is not valid. Verify that you entered the correct ID and try again.',
      );
    return p;
  };

  const operations: Record<string, aws.AwsOperation> = {
    PutParameter: {
      write: true,
      target: (b) => String(b.Name ?? ''),
      run(body) {
        const name = readName(body, 'Name');
        const value = aws.requiredString(body, 'Value', { min: 0 });
        const type = aws.optionalString(body, 'Type');
        const overwrite = body.Overwrite === true;
        const tags = aws.readTags(body, 'Tags');
        if (type !== undefined && !TYPES.includes(type)) {
          throw new aws.AwsError(
            'ValidationException',
            `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
          );
        }
        if (overwrite && tags) {
          throw new aws.AwsError(
            'ValidationException',
            "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
          );
        }
        if (Buffer.byteLength(value) > 4096) {
          throw new aws.AwsError(
            'ValidationException',
            'Standard tier parameters support a maximum parameter value of 4096 characters.',
          );
        }
        const existing = parameters.get(name);
        if (existing && !overwrite) {
          throw new aws.AwsError(
            'ParameterAlreadyExists',
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        if (!existing && !type)
          throw new aws.AwsError('ValidationException', 'A parameter type is required when you create a parameter.');
        const keyId = aws.optionalString(body, 'KeyId');
        const next: SimParameter = {
          name,
          type: type ?? existing?.type ?? 'String',
          value,
          version: (existing?.version ?? 0) + 1,
          lastModified: now(),
          tags: existing?.tags ?? tags ?? [],
          ...((keyId ?? existing?.keyId) !== undefined ? { keyId: keyId ?? existing?.keyId } : {}),
        };
        parameters.set(name, next);
        return { Version: next.version, Tier: 'Standard' };
      },
    },
    GetParameter: {
      write: false,
      target: (b) => String(b.Name ?? ''),
      run(body) {
        const p = mustFind(readName(body, 'Name'));
        const decrypt = body.WithDecryption === true;
        // Without decryption a SecureString comes back as ciphertext; a stand-in that is not the value.
        const value =
          p.type === 'SecureString' && !decrypt ? createHash('sha256').update(p.value).digest('base64') : p.value;
        return {
          Parameter: {
            Name: p.name,
            Type: p.type,
            Value: value,
            Version: p.version,
            LastModifiedDate: aws.epochSeconds(p.lastModified),
            ARN: arn(p.name),
            DataType: 'text',
          },
        };
      },
    },
    AddTagsToResource: {
      write: true,
      target: (b) => String(b.ResourceId ?? ''),
      run(body) {
        const p = resource(body);
        const tags = aws.readTags(body, 'Tags');
        if (!tags) throw new aws.AwsError('ValidationException', 'Tags must not be null');
        p.tags = aws.mergeTags(p.tags, tags);
        return {};
      },
    },
    ListTagsForResource: {
      write: false,
      target: (b) => String(b.ResourceId ?? ''),
      run: (body) => ({ TagList: resource(body).tags }),
    },
    DeleteParameter: {
      write: true,
      target: (b) => String(b.Name ?? ''),
      run(body) {
        const name = readName(body, 'Name');
        mustFind(name);
        parameters.delete(name);
        return {};
      },
    },
  };
  return { operations, parameters };
}
