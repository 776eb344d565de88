import { atLeast } from '../auth/auth-roles';
import { errorSchema } from '../http/error-schema';
import { defineRoute } from '../http/route-spec';
import {
  adoptInputSchema,
  configInputSchema,
  configListSchema,
  configViewSchema,
  connectionTestSchema,
  dryRunSchema,
  historyListSchema,
  historyQuerySchema,
  idParamsSchema,
  recordListSchema,
  recordQuerySchema,
  recordViewSchema,
  syncNowResultSchema,
} from './sync-schemas';

// CertifyClouds licenses sync to professional and enterprise; Keyward's trial is the professional product, so the
// tier floor is the trial's rank (shared/license/license-tiers.ts lists `sync` for all three).
const base = { tag: 'Sync', minTier: 'trial' } as const;
const read = { ...base, method: 'GET', access: atLeast('reader'), rateLimit: 'read' } as const;
const operate = { ...base, method: 'POST', access: atLeast('operator'), rateLimit: 'write' } as const;
const change = { ...base, access: atLeast('admin'), rateLimit: 'write' } as const;
const invalid = {
  400: { description: 'Invalid input, or a destination the outbound guard refuses.', schema: errorSchema },
};
const missing = { 404: { description: 'No such sync config or record.', schema: errorSchema } };
const unknownId = { params: { id: 'doesnotexist' } };

const sampleConfig = {
  name: 'Payments to AWS',
  provider: 'awsSecretsManager',
  enabled: false,
  connection: { aws: { region: 'eu-west-1', accessKeyId: 'AKIAEXAMPLE000001' } },
  credentials: { awsSecretAccessKey: 'example-secret-access-key-0001' },
  rules: [
    { sourceVaults: ['kv-prod-payments'], namePattern: 'pay-*', kinds: ['secret'], nameTemplate: '{vault}/{name}' },
  ],
};

/** CertifyClouds' `/api/automation/sync/*` endpoints, plus the dashboard's dry run, connection test and conflict choice. */
export const syncRoutes = {
  listSyncConfigs: defineRoute({
    ...read,
    operationId: 'listSyncConfigs',
    path: '/api/automation/sync/configs',
    summary: 'Provider configurations (never their credentials)',
    responses: { 200: { description: 'Every sync config.', schema: configListSchema } },
  }),
  createSyncConfig: defineRoute({
    ...change,
    method: 'POST',
    operationId: 'createSyncConfig',
    path: '/api/automation/sync/configs',
    summary: "Create a provider configuration; credentials go to Keyward's Key Vault, never to storage",
    body: configInputSchema,
    responses: { 201: { description: 'The saved config.', schema: configViewSchema }, ...invalid },
    // The test stacks' simulator serves Keyward's credentials vault (KEYWARD_VAULT_URI), so the config is saved.
    sample: { body: sampleConfig, status: 201 },
  }),
  updateSyncConfig: defineRoute({
    ...change,
    method: 'PUT',
    operationId: 'updateSyncConfig',
    path: '/api/automation/sync/configs/{id}',
    summary: 'Replace a provider configuration; a changed destination needs its credentials again',
    params: idParamsSchema,
    body: configInputSchema,
    responses: { 200: { description: 'The saved config.', schema: configViewSchema }, ...invalid, ...missing },
    sample: { ...unknownId, body: sampleConfig, status: 404 },
  }),
  deleteSyncConfig: defineRoute({
    ...change,
    method: 'DELETE',
    operationId: 'deleteSyncConfig',
    path: '/api/automation/sync/configs/{id}',
    summary: 'Remove a provider configuration and its records (targets are left as they are)',
    params: idParamsSchema,
    responses: { 204: { description: 'Removed.' }, ...missing },
    sample: { ...unknownId, status: 404 },
  }),
  dryRunSyncConfig: defineRoute({
    ...operate,
    // Describes every changed object's target: the one sync call whose cost grows with the estate.
    rateLimit: 'expensive',
    operationId: 'dryRunSyncConfig',
    path: '/api/automation/sync/configs/{id}/dry-run',
    summary: 'The diff a sync would apply (create / update / unchanged / conflict / would-delete), with no write',
    params: idParamsSchema,
    responses: { 200: { description: 'The diff.', schema: dryRunSchema }, ...invalid, ...missing },
    sample: { ...unknownId, status: 404 },
  }),
  testSyncConfig: defineRoute({
    ...operate,
    operationId: 'testSyncConfig',
    path: '/api/automation/sync/configs/{id}/test',
    summary: 'Connection test: one authenticated read at the destination',
    params: idParamsSchema,
    responses: { 200: { description: 'Whether the destination answered.', schema: connectionTestSchema }, ...missing },
    sample: { ...unknownId, status: 404 },
  }),
  syncConfigNow: defineRoute({
    ...operate,
    operationId: 'syncConfigNow',
    path: '/api/automation/sync/configs/{id}/sync',
    summary: 'Queue a sync of every changed object of one config',
    params: idParamsSchema,
    responses: { 202: { description: 'Messages queued.', schema: syncNowResultSchema }, ...invalid, ...missing },
    sample: { ...unknownId, status: 404 },
  }),
  listSyncRecords: defineRoute({
    ...read,
    operationId: 'listSyncRecords',
    path: '/api/automation/sync/records',
    summary: 'Per source object → target: last synced source version, target version or ARN, status, last error',
    query: recordQuerySchema,
    responses: { 200: { description: 'Records.', schema: recordListSchema }, ...invalid },
  }),
  syncRecordNow: defineRoute({
    ...operate,
    operationId: 'syncRecordNow',
    path: '/api/automation/sync/records/{id}/sync',
    summary: 'Trigger sync for one record',
    params: idParamsSchema,
    responses: {
      202: { description: 'Queued (0 when the source is unchanged).', schema: syncNowResultSchema },
      ...invalid,
      ...missing,
    },
    sample: { ...unknownId, status: 404 },
  }),
  resolveSyncConflict: defineRoute({
    ...change,
    method: 'POST',
    operationId: 'resolveSyncConflict',
    path: '/api/automation/sync/records/{id}/resolve',
    summary: 'Answer a conflict: adopt the existing target (audited) or skip it',
    params: idParamsSchema,
    body: adoptInputSchema,
    responses: { 200: { description: 'The record.', schema: recordViewSchema }, ...invalid, ...missing },
    sample: { ...unknownId, body: { decision: 'skip' }, status: 404 },
  }),
  listSyncHistory: defineRoute({
    ...read,
    operationId: 'listSyncHistory',
    path: '/api/automation/sync/history',
    summary: 'Sync execution history, newest first',
    query: historyQuerySchema,
    responses: { 200: { description: 'History entries.', schema: historyListSchema }, ...invalid },
  }),
};
