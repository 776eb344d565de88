import { z } from 'zod';

/**
 * The sync feature's contracts, written once: the CertifyClouds `/api/automation/sync/*` bodies, the queue
 * message and the records. Credentials appear only in input schemas; every view is an allow-list without them.
 */
export const syncProviders = [
  'awsSecretsManager',
  'awsParameterStore',
  'awsAcm',
  'gcpSecretManager',
  'gcpCertificateManager',
  'keyVault',
] as const;
export type SyncProviderKind = (typeof syncProviders)[number];

export const sourceKinds = ['secret', 'certificate', 'key'] as const;
export type SourceKind = (typeof sourceKinds)[number];

const name = z.string().trim().min(1).max(127);
/** AWS region names (`us-east-1`, `eu-central-2`, `us-gov-west-1`): the SDK builds the host from it. */
const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1');
const gcpProject = z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a Google Cloud project id');
const gcpLocation = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a Google Cloud location such as global');

export const awsConnectionSchema = z.object({
  region: awsRegion,
  /** The long-term key Keyward signs with; with `roleArn`, only the source credentials for STS AssumeRole. */
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an AWS access key id'),
  /** A role to assume in the destination account (STS AssumeRole); the targets are then written as that role. */
  roleArn: z
    .string()
    .max(2048)
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN')
    .optional(),
  /** The `sts:ExternalId` the role's trust policy requires (STS: 2–1224 characters). */
  externalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'an external id')
    .optional(),
  /** The assumed-role session's name, shown in the account's CloudTrail (STS: 2–64 characters). */
  roleSessionName: z
    .string()
    .regex(/^[\w+=,.@-]{2,64}$/, 'a role session name')
    .optional(),
});
export const gcpConnectionSchema = z.object({
  projectId: gcpProject,
  /** Certificate Manager location (`global` or a region); Secret Manager secrets are global. */
  location: gcpLocation.default('global'),
});
export const keyVaultConnectionSchema = z.object({
  vaultUri: z.url({ protocol: /^https$/ }).max(300),
});

/** The destination: where objects go. Changing any of it drops the stored credentials (they belong to it). */
export const connectionSchema = z.object({
  aws: awsConnectionSchema.optional(),
  gcp: gcpConnectionSchema.optional(),
  keyVault: keyVaultConnectionSchema.optional(),
});
export type SyncConnection = z.infer<typeof connectionSchema>;

/** Write-only credentials; stored in Keyward's own Key Vault, never in a table, never returned. */
export const credentialsInputSchema = z.object({
  awsSecretAccessKey: z.string().min(16).max(128).optional(),
  /** The service-account key file's JSON text. */
  gcpServiceAccountKey: z.string().min(2).max(16_384).optional(),
});
export type SyncCredentialsInput = z.infer<typeof credentialsInputSchema>;

export const ruleSchema = z.object({
  /** Source vaults by name, as the scan lists them. */
  sourceVaults: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{3,24}$/, 'a Key Vault name'),
    )
    .min(1)
    .max(50),
  /** A glob over object names (picomatch syntax, e.g. `app-*`); empty matches every name. */
  namePattern: z.string().trim().max(200).default(''),
  /** Every listed tag must be on the source object with this value. */
  tags: z.record(z.string().max(256), z.string().max(256)).default({}),
  kinds: z.array(z.enum(sourceKinds)).min(1).max(3).default(['secret']),
  /** Target name; `{vault}` and `{name}` are replaced, then the provider's name rules apply. */
  nameTemplate: z.string().trim().min(1).max(200).default('{vault}/{name}'),
  /** AWS Secrets Manager / Parameter Store KMS key id or ARN. */
  kmsKeyId: z.string().trim().max(2048).optional(),
  /** GCP Secret Manager replication: automatic, or user-managed in these locations. */
  gcpReplicationLocations: z.array(gcpLocation).max(10).default([]),
  /** `keep` (the default) never deletes; `delete` schedules deletion with the provider's recovery window. */
  deleteBehaviour: z.enum(['keep', 'delete']).default('keep'),
  recoveryWindowDays: z.number().int().min(7).max(30).default(30),
});
export type SyncRule = z.infer<typeof ruleSchema>;

export const configInputSchema = z.object({
  name,
  provider: z.enum(syncProviders),
  enabled: z.boolean().default(false),
  connection: connectionSchema,
  credentials: credentialsInputSchema.optional(),
  rules: z.array(ruleSchema).min(1).max(20),
});
export type SyncConfigInput = z.infer<typeof configInputSchema>;

export const configViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(syncProviders),
  enabled: z.boolean(),
  connection: connectionSchema,
  /** Whether credentials are stored (in Keyward's Key Vault); never the credentials. */
  hasCredentials: z.boolean(),
  rules: z.array(ruleSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SyncConfigView = z.infer<typeof configViewSchema>;
export const configListSchema = z.object({ configs: z.array(configViewSchema) });

export const recordStatuses = [
  'pending',
  'synced',
  'conflict',
  'failed',
  'skipped',
  'retained',
  'deletionScheduled',
] as const;
export type RecordStatus = (typeof recordStatuses)[number];

export const recordViewSchema = z.object({
  id: z.string(),
  configId: z.string(),
  provider: z.enum(syncProviders),
  kind: z.enum(sourceKinds),
  sourceVault: z.string(),
  sourceName: z.string(),
  targetName: z.string(),
  /** ARN or resource name of the target once known. */
  targetRef: z.string().nullable(),
  lastSyncedSourceVersion: z.string().nullable(),
  targetVersion: z.string().nullable(),
  status: z.enum(recordStatuses),
  /** Why: the conflict, skip or retention reason, in words. */
  reason: z.string().nullable(),
  /** The provider's error code of the last failure (never its message, which could echo input). */
  lastError: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type SyncRecordView = z.infer<typeof recordViewSchema>;
export const recordListSchema = z.object({ records: z.array(recordViewSchema) });
export const recordQuerySchema = z.object({
  configId: z.string().max(64).optional(),
  status: z.enum(recordStatuses).optional(),
});

export const diffActions = ['create', 'update', 'unchanged', 'conflict', 'would-delete', 'skip', 'retain'] as const;
export type DiffAction = (typeof diffActions)[number];
export const diffEntrySchema = z.object({
  action: z.enum(diffActions),
  kind: z.enum(sourceKinds),
  sourceVault: z.string(),
  sourceName: z.string(),
  /** When the source last changed. */
  sourceUpdatedAt: z.string().nullable(),
  targetName: z.string(),
  reason: z.string().nullable(),
});
export type DiffEntry = z.infer<typeof diffEntrySchema>;
export const dryRunSchema = z.object({
  configId: z.string(),
  counts: z.record(z.enum(diffActions), z.number().int()),
  entries: z.array(diffEntrySchema),
});

export const historyEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  configId: z.string(),
  recordId: z.string(),
  sourceVault: z.string(),
  sourceName: z.string(),
  sourceVersion: z.string().nullable(),
  targetName: z.string(),
  outcome: z.enum(['synced', 'conflict', 'failed', 'skipped', 'deletionScheduled', 'retained', 'adopted']),
  targetVersion: z.string().nullable(),
  detail: z.string().nullable(),
});
export type SyncHistoryEntry = z.infer<typeof historyEntrySchema>;
export const historyListSchema = z.object({ entries: z.array(historyEntrySchema) });
export const historyQuerySchema = z.object({
  configId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const idParamsSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9]{1,64}$/, 'an id'),
});
export const syncNowResultSchema = z.object({ queued: z.number().int(), recordId: z.string().optional() });
export const adoptInputSchema = z.object({ decision: z.enum(['adopt', 'skip']) });
export const connectionTestSchema = z.object({ ok: z.boolean(), error: z.string().nullable() });

/**
 * One unit of work: push (or delete) one record at one source version. The message id is
 * `<recordId>.<sourceVersion>.<action>`, so the broker drops a duplicate send and the worker makes no write for a
 * version it already synced.
 */
export const syncMessageSchema = z.object({
  recordId: z.string().regex(/^[a-z0-9]{1,64}$/),
  configId: z.string().regex(/^[a-z0-9]{1,64}$/),
  action: z.enum(['push', 'delete']),
  /** The source's change stamp the planner saw (lists carry no version id); null for a delete. */
  sourceStamp: z.string().max(64).nullable(),
  /** An explicit adopt (admin decision) lets the push take over an unowned target once. */
  adopt: z.boolean().default(false),
});
export type SyncMessage = z.infer<typeof syncMessageSchema>;
