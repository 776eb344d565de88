import { z } from 'zod';

const guid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().max(max);

/** The steps of one rotation, in order; each is recorded before and after it runs. */
export const rotationSteps = ['preflight', 'create', 'verify', 'store', 'activate', 'removeOld'] as const;
export type RotationStepName = (typeof rotationSteps)[number];

export const rotationStatuses = ['queued', 'running', 'overlapping', 'completed', 'failed'] as const;
export const credentialTypes = ['secret', 'certificate'] as const;

/** A Key Vault secret a record writes each new credential to (by vault URI and secret name). */
export const rotationTargetSchema = z.object({
  vaultUri: z
    .url({ protocol: /^https$/ })
    .max(300)
    .transform((u) => u.replace(/\/+$/, '')),
  secretName: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'a Key Vault secret name (letters, digits, dashes)'),
});

/** Hours of the day (UTC) and weekdays (0 = Sunday) in which automatic rotations may start; null = any time. */
export const maintenanceWindowSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
  })
  .refine((w) => w.endHour > w.startHour, 'endHour must be after startHour');

const scheduleFields = {
  intervalDays: z.number().int().min(1).max(365),
  rotateBeforeExpiryDays: z.number().int().min(0).max(180),
  overlapDays: z.number().int().min(0).max(90),
  automatic: z.boolean(),
  maintenanceWindow: maintenanceWindowSchema.nullable(),
};

export const createRecordSchema = z.strictObject({
  /** The application's object id (Graph `id`) or its application (client) id. */
  application: guid,
  credentialType: z.enum(credentialTypes).default('secret'),
  /** The credential this record rotates (its keyId); null when the app has none yet. */
  keyId: guid.nullable().default(null),
  targets: z.array(rotationTargetSchema).min(1).max(10),
  intervalDays: scheduleFields.intervalDays.default(30),
  rotateBeforeExpiryDays: scheduleFields.rotateBeforeExpiryDays.default(14),
  overlapDays: scheduleFields.overlapDays.default(7),
  automatic: scheduleFields.automatic.default(false),
  maintenanceWindow: scheduleFields.maintenanceWindow.default(null),
});

export const updateRecordSchema = z
  .strictObject({
    intervalDays: scheduleFields.intervalDays,
    rotateBeforeExpiryDays: scheduleFields.rotateBeforeExpiryDays,
    overlapDays: scheduleFields.overlapDays,
    automatic: scheduleFields.automatic,
    maintenanceWindow: scheduleFields.maintenanceWindow,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');

export const recordSchema = z
  .object({
    id: z.string(),
    appObjectId: guid,
    appId: guid,
    appDisplayName: text(256),
    credentialType: z.enum(credentialTypes),
    keyId: guid.nullable(),
    credentialEndDateTime: iso.nullable(),
    targets: z.array(rotationTargetSchema),
    intervalDays: z.number().int(),
    rotateBeforeExpiryDays: z.number().int(),
    overlapDays: z.number().int(),
    automatic: z.boolean(),
    maintenanceWindow: maintenanceWindowSchema.nullable(),
    lastRotationId: z.string().nullable(),
    lastRotatedAt: iso.nullable(),
    nextRotationAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'RotationRecord' });

export const recordListSchema = z.object({ records: z.array(recordSchema), total: z.number().int() });

export const stepSchema = z.object({
  name: z.enum(rotationSteps),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  startedAt: iso,
  finishedAt: iso.nullable(),
  durationMs: z.number().int().nullable(),
  /** Identifiers only: key ids, secret versions, thumbprints, attempt counts. */
  detail: z.record(z.string(), z.union([z.string().max(300), z.number(), z.boolean(), z.null()])),
  errorCode: z.string().max(120).nullable(),
});

export const rotationSchema = z
  .object({
    rotationId: z.string(),
    recordId: z.string(),
    appObjectId: guid,
    appId: guid,
    appDisplayName: text(256),
    credentialType: z.enum(credentialTypes),
    trigger: z.enum(['manual', 'automatic']),
    status: z.enum(rotationStatuses),
    step: z.enum(rotationSteps).nullable(),
    oldKeyId: guid.nullable(),
    newKeyId: guid.nullable(),
    newEndDateTime: iso.nullable(),
    removeOldAfter: iso.nullable(),
    errorStep: z.enum(rotationSteps).nullable(),
    errorCode: z.string().max(120).nullable(),
    requestedBy: text(256),
    requestedAt: iso,
    finishedAt: iso.nullable(),
    durationMs: z.number().int().nullable(),
    steps: z.array(stepSchema),
  })
  .meta({ id: 'Rotation' });

export const historyQuerySchema = z.strictObject({
  recordId: text(64).optional(),
  appId: guid.optional(),
  status: z.enum(rotationStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const historySchema = z.object({
  rotations: z.array(rotationSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const rotateAcceptedSchema = z.object({ rotationId: z.string(), status: z.literal('queued') });

/** The 409 body: which rotation of this app is running. */
export const rotationConflictSchema = z.object({
  error: z.literal('rotation_in_progress'),
  message: z.string(),
  rotationId: z.string(),
});

export const credentialSchema = z.object({
  keyId: guid,
  type: z.enum(credentialTypes),
  displayName: z.string().nullable(),
  endDateTime: iso,
  /** Thumbprint of a certificate credential. */
  thumbprint: z.string().nullable(),
  /** The record that rotates it, if one does. */
  recordId: z.string().nullable(),
  /** Vault secrets found holding it (tags appId/keyId, name convention, or value fingerprint). */
  vaultSecrets: z.array(
    z.object({ vaultUri: z.string(), secretName: z.string(), matchedBy: z.enum(['tags', 'name', 'fingerprint']) }),
  ),
});

export const inventoryAppSchema = z.object({
  appObjectId: guid,
  appId: guid,
  displayName: z.string(),
  owners: z.array(z.string()),
  passwordCount: z.number().int(),
  certificateCount: z.number().int(),
  nextExpiry: iso.nullable(),
  covered: z.boolean(),
  credentials: z.array(credentialSchema),
});

export const inventorySchema = z
  .object({ applications: z.array(inventoryAppSchema), discoveredAt: iso.nullable(), total: z.number().int() })
  .meta({ id: 'RotationInventory' });

export const discoverResultSchema = z.object({
  applications: z.number().int(),
  credentials: z.number().int(),
  matchedSecrets: z.number().int(),
  discoveredAt: iso,
});

export const recordIdParamsSchema = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, 'a record id') });

/** The rotation queue's message: ids only, never a value (the worker reads the rest from the rotation's row). */
export const rotationMessageSchema = z.strictObject({ rotationId: z.string().regex(/^[0-9a-f]{32}$/) });
