import { randomBytes, randomUUID } from 'node:crypto';
import * as aws from './aws-protocol';

/**
 * Secrets Manager, the operations Keyward calls, with the service's documented refusals (API reference and
 * research/cloud-apis.md §1): names of 1–512 characters from `[A-Za-z0-9/_+=.@-]`, ClientRequestToken 32–64
 * characters and idempotent (the same token with the same value is ignored, with another value refused), a
 * secret pending deletion refuses reads and writes, RecoveryWindowInDays 7–30 and never with
 * ForceDeleteWithoutRecovery. Members are checked against the SDK's models (`dist-types/models/models_0.d.ts`).
 */
export interface SimSecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly createdAt: Date;
  stages: string[];
}

export interface SimSecret {
  readonly arn: string;
  readonly name: string;
  description?: string;
  kmsKeyId?: string;
  tags: aws.AwsTag[];
  versions: SimSecretVersion[];
  readonly createdAt: Date;
  lastChangedAt: Date;
  deletedAt?: Date;
  deletionDate?: Date;
}

const NAME = { min: 1, max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/ };
const TOKEN = { min: 32, max: 64 };
const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

export function createSecretsManager(region: string, accountId: string, now: () => Date) {
  const secrets = new Map<string, SimSecret>();

  const find = (secretId: string): SimSecret | undefined =>
    secrets.get(secretId) ?? [...secrets.values()].find((s) => s.arn === secretId);
  const mustFind = (body: aws.AwsBody): SimSecret => {
    const secret = find(aws.requiredString(body, 'SecretId', { min: 1, max: 2048 }, 'InvalidParameterException'));
    if (!secret) throw new aws.AwsError('ResourceNotFoundException', NOT_FOUND);
    return secret;
  };
  const notDeleted = (secret: SimSecret): SimSecret => {
    if (secret.deletedAt) throw new aws.AwsError('InvalidRequestException', MARKED);
    return secret;
  };
  const secretString = (body: aws.AwsBody): string => {
    if (body.SecretBinary !== undefined && body.SecretString !== undefined) {
      throw new aws.AwsError(
        'InvalidParameterException',
        'You must provide either SecretString or SecretBinary, not both.',
      );
    }
    const value = aws.optionalString(body, 'SecretString', { min: 1, max: 65536 }, 'InvalidParameterException');
    if (value === undefined)
      throw new aws.AwsError('InvalidRequestException', 'You must provide a SecretString or SecretBinary.');
    return value;
  };

  /** Adds a version (AWSCURRENT moves to it, the old current becomes AWSPREVIOUS), or replays an identical one. */
  function addVersion(secret: SimSecret, token: string, value: string): SimSecretVersion {
    const existing = secret.versions.find((v) => v.versionId === token);
    if (existing) {
      if (existing.value !== value) {
        throw new aws.AwsError(
          'ResourceExistsException',
          'A version with this ClientRequestToken already exists with a different value.',
        );
      }
      return existing;
    }
    for (const v of secret.versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    const version: SimSecretVersion = { versionId: token, value, createdAt: now(), stages: ['AWSCURRENT'] };
    secret.versions.push(version);
    // Secrets Manager keeps about 100 versions; older ones without a stage are dropped.
    if (secret.versions.length > 100) secret.versions = secret.versions.filter((v) => v.stages.length > 0);
    secret.lastChangedAt = now();
    return version;
  }

  const token = (body: aws.AwsBody): string =>
    aws.optionalString(body, 'ClientRequestToken', TOKEN, 'InvalidParameterException') ?? randomUUID();

  const operations: Record<string, aws.AwsOperation> = {
    CreateSecret: {
      write: true,
      target: (b) => String(b.Name ?? ''),
      run(body) {
        const name = aws.requiredString(body, 'Name', NAME, 'InvalidParameterException');
        const tags = aws.readTags(body, 'Tags', 'InvalidParameterException') ?? [];
        const value = secretString(body);
        const requestToken = token(body);
        const existing = secrets.get(name);
        if (existing?.deletedAt) {
          throw new aws.AwsError(
            'InvalidRequestException',
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        }
        if (existing) {
          // A replay of the same create (same token, same value) answers as the first did.
          const replay = existing.versions.find((v) => v.versionId === requestToken && v.value === value);
          if (replay) return { ARN: existing.arn, Name: name, VersionId: replay.versionId };
          throw new aws.AwsError(
            'ResourceExistsException',
            `The operation failed because the secret ${name} already exists.`,
          );
        }
        const created = now();
        const secret: SimSecret = {
          arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${randomBytes(4).toString('base64url').slice(0, 6)}`,
          name,
          tags,
          versions: [],
          createdAt: created,
          lastChangedAt: created,
          ...(typeof body.Description === 'string' ? { description: body.Description } : {}),
          ...(typeof body.KmsKeyId === 'string' ? { kmsKeyId: body.KmsKeyId } : {}),
        };
        secrets.set(name, secret);
        const version = addVersion(secret, requestToken, value);
        return { ARN: secret.arn, Name: name, VersionId: version.versionId };
      },
    },
    PutSecretValue: {
      write: true,
      target: (b) => String(b.SecretId ?? ''),
      run(body) {
        const secret = notDeleted(mustFind(body));
        const version = addVersion(secret, token(body), secretString(body));
        return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages };
      },
    },
    DescribeSecret: {
      write: false,
      target: (b) => String(b.SecretId ?? ''),
      run(body) {
        const s = mustFind(body);
        return {
          ARN: s.arn,
          Name: s.name,
          ...(s.description !== undefined ? { Description: s.description } : {}),
          ...(s.kmsKeyId !== undefined ? { KmsKeyId: s.kmsKeyId } : {}),
          RotationEnabled: false,
          CreatedDate: aws.epochSeconds(s.createdAt),
          LastChangedDate: aws.epochSeconds(s.lastChangedAt),
          ...(s.deletedAt ? { DeletedDate: aws.epochSeconds(s.deletedAt) } : {}),
          Tags: s.tags,
          VersionIdsToStages: Object.fromEntries(
            s.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages]),
          ),
        };
      },
    },
    GetSecretValue: {
      write: false,
      target: (b) => String(b.SecretId ?? ''),
      run(body) {
        const s = notDeleted(mustFind(body));
        const wanted = aws.optionalString(body, 'VersionId', TOKEN, 'InvalidParameterException');
        const stage = aws.optionalString(body, 'VersionStage') ?? 'AWSCURRENT';
        const v = s.versions.find((x) => (wanted ? x.versionId === wanted : x.stages.includes(stage)));
        if (!v) throw new aws.AwsError('ResourceNotFoundException', NOT_FOUND);
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: v.versionId,
          SecretString: v.value,
          VersionStages: v.stages,
          CreatedDate: aws.epochSeconds(v.createdAt),
        };
      },
    },
    TagResource: {
      write: true,
      target: (b) => String(b.SecretId ?? ''),
      run(body) {
        const s = notDeleted(mustFind(body));
        const tags = aws.readTags(body, 'Tags', 'InvalidParameterException');
        if (!tags) throw new aws.AwsError('InvalidParameterException', 'Tags must not be null');
        s.tags = aws.mergeTags(s.tags, tags);
        return {};
      },
    },
    DeleteSecret: {
      write: true,
      target: (b) => String(b.SecretId ?? ''),
      run(body) {
        const force = body.ForceDeleteWithoutRecovery === true;
        const window = body.RecoveryWindowInDays;
        if (force && window !== undefined) {
          throw new aws.AwsError(
            'InvalidParameterException',
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        const days = window === undefined ? 30 : Number(window);
        if (!Number.isInteger(days) || days < 7 || days > 30) {
          throw new aws.AwsError(
            'InvalidParameterException',
            'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
          );
        }
        const s = mustFind(body);
        if (s.deletedAt) throw new aws.AwsError('InvalidRequestException', MARKED);
        s.deletedAt = now();
        s.deletionDate = new Date(s.deletedAt.getTime() + (force ? 0 : days) * 86_400_000);
        return { ARN: s.arn, Name: s.name, DeletionDate: aws.epochSeconds(s.deletionDate) };
      },
    },
  };
  return { operations, secrets };
}
