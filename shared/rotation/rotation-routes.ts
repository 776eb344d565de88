import { atLeast } from '../auth/auth-roles';
import { errorSchema } from '../http/error-schema';
import { defineRoute } from '../http/route-spec';
import {
  createRecordSchema,
  discoverResultSchema,
  historyQuerySchema,
  historySchema,
  inventorySchema,
  recordIdParamsSchema,
  recordListSchema,
  recordSchema,
  rotateAcceptedSchema,
  rotationConflictSchema,
  updateRecordSchema,
} from './rotation-schemas';

const base = { tag: 'Rotation', minTier: 'trial' } as const;
const SAMPLE_ID = '0123456789abcdef0123456789abcdef';
const upstream = {
  502: {
    description: 'Microsoft Graph or Key Vault refused or could not be reached (its error code).',
    schema: errorSchema,
  },
};

/**
 * CertifyClouds' rotation API (`/api/automation/rotation/*`, `/api/automation/history`): readers read, operators
 * rotate now, admins change records. The trial's manual rotations are counted by the route's quota.
 */
export const rotationRoutes = {
  discoverRotation: defineRoute({
    ...base,
    operationId: 'discoverRotation',
    method: 'POST',
    path: '/api/automation/rotation/discover',
    summary:
      'Discover app registrations, their credentials and owners, and the vault secrets that hold each credential',
    access: atLeast('admin'),
    rateLimit: 'expensive',
    responses: { 200: { description: 'What discovery found.', schema: discoverResultSchema }, ...upstream },
    // The test stacks' simulator serves Keyward's own vaults and a tenant with no applications: discovery finds none.
    sample: { status: 200 },
  }),
  getRotationInventory: defineRoute({
    ...base,
    operationId: 'getRotationInventory',
    method: 'GET',
    path: '/api/automation/rotation/inventory',
    summary: 'App registrations with credential counts, next expiry and whether a record covers them',
    access: atLeast('reader'),
    rateLimit: 'read',
    responses: { 200: { description: 'The last discovery, with current coverage.', schema: inventorySchema } },
  }),
  getRotationRecords: defineRoute({
    ...base,
    operationId: 'getRotationRecords',
    method: 'GET',
    path: '/api/automation/rotation/records',
    summary: 'Configured rotation records',
    access: atLeast('reader'),
    rateLimit: 'read',
    responses: { 200: { description: 'Every record.', schema: recordListSchema } },
  }),
  createRotationRecord: defineRoute({
    ...base,
    operationId: 'createRotationRecord',
    method: 'POST',
    path: '/api/automation/rotation/records',
    summary: 'Bind an app credential to Key Vault secrets (probes the vaults and the app for write permission first)',
    access: atLeast('admin'),
    rateLimit: 'write',
    body: createRecordSchema,
    responses: {
      201: { description: 'The record.', schema: recordSchema },
      400: {
        description: 'Invalid, or a permission is missing (the message says how to grant it).',
        schema: errorSchema,
      },
      ...upstream,
    },
    // Not a Key Vault host: refused before anything is called or stored.
    sample: {
      body: {
        application: '11111111-2222-4333-8444-555555555555',
        targets: [{ vaultUri: 'https://example.com', secretName: 'app-secret' }],
      },
      status: 400,
    },
  }),
  updateRotationRecord: defineRoute({
    ...base,
    operationId: 'updateRotationRecord',
    method: 'PUT',
    path: '/api/automation/rotation/records/{id}',
    summary: 'Change a record: interval, rotate-before-expiry, overlap, automatic, maintenance window',
    access: atLeast('admin'),
    rateLimit: 'write',
    params: recordIdParamsSchema,
    body: updateRecordSchema,
    responses: {
      200: { description: 'The record.', schema: recordSchema },
      403: { description: 'Automatic rotation needs a paid tier.', schema: errorSchema },
      404: { description: 'No such record.', schema: errorSchema },
    },
    sample: { params: { id: SAMPLE_ID }, body: { overlapDays: 3 }, status: 404 },
  }),
  rotateRecord: defineRoute({
    ...base,
    operationId: 'rotateRecord',
    method: 'POST',
    path: '/api/automation/rotation/records/{id}/rotate',
    summary: "Rotate now: queues a rotation of the record's credential (202 with its id)",
    access: atLeast('operator'),
    rateLimit: 'expensive',
    quota: 'manualRotations',
    params: recordIdParamsSchema,
    responses: {
      202: { description: 'Queued.', schema: rotateAcceptedSchema },
      403: { description: "The month's manual rotations are used up (quota, usage, reset date).", schema: errorSchema },
      404: { description: 'No such record.', schema: errorSchema },
      409: { description: 'A rotation of this application is running (its id).', schema: rotationConflictSchema },
    },
    sample: { params: { id: SAMPLE_ID }, status: 404 },
  }),
  getRotationHistory: defineRoute({
    ...base,
    operationId: 'getRotationHistory',
    method: 'GET',
    path: '/api/automation/history',
    summary: 'Every rotation with its steps, durations and outcome, newest first',
    access: atLeast('reader'),
    rateLimit: 'read',
    query: historyQuerySchema,
    responses: { 200: { description: 'A page of rotations.', schema: historySchema } },
  }),
};
