import { z } from 'zod';
import { roles } from './auth-roles';

export const roleSchema = z.enum(roles);
const isoTime = z.iso.datetime({ offset: true });

export const meSchema = z
  .object({
    userId: z.string(),
    userEmail: z.string().nullable(),
    userName: z.string().nullable(),
    roles: z.array(roleSchema),
    authType: z.enum(['easyauth', 'apiKey']),
  })
  .meta({ id: 'Me' });

export const apiKeyIdParams = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9]{12}$/, 'a 12-character key id'),
});

export const createApiKeyBody = z
  .object({
    // Printable names only: a name is shown in lists and logs, so no control characters or broken Unicode.
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\p{L}\p{N} ._@()-]+$/u, 'letters, digits, spaces and . _ @ ( ) - only'),
    role: roleSchema,
    /** Days until the key stops working; omitted means 90 (a key never outlives its creator's admin role). */
    expiresInDays: z.number().int().min(1).max(730).optional(),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });

export const apiKeyMetadataSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    prefix: z.string(),
    createdAt: isoTime,
    createdBy: z.string(),
    expiresAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
  })
  .meta({ id: 'ApiKeyMetadata' });

export const createdApiKeySchema = apiKeyMetadataSchema
  .extend({ key: z.string().describe('The key itself. Shown once: store it now, it cannot be retrieved again.') })
  .meta({ id: 'CreatedApiKey' });

export const apiKeyListSchema = z.object({ keys: z.array(apiKeyMetadataSchema) }).meta({ id: 'ApiKeyList' });

/** A user is named by Entra object id (a GUID) or by email, lower-cased, as admins know them. */
export const userIdParams = z.object({
  id: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.union([z.uuid(), z.email().max(254)]).describe('An Entra object id or an email address')),
});

export const putUserBody = z.object({ role: roleSchema }).strict().meta({ id: 'PutUserRole' });

export const userRoleSchema = z
  .object({ id: z.string(), role: roleSchema, updatedAt: isoTime, updatedBy: z.string() })
  .meta({ id: 'UserRole' });

export const userListSchema = z
  .object({ users: z.array(userRoleSchema), bootstrapAdmins: z.array(z.string()) })
  .meta({ id: 'UserList' });

export const identityInfoSchema = z
  .object({
    credential: z.enum(['managedIdentity', 'connectionStrings']),
    managedIdentityClientId: z.string().nullable(),
    tenantId: z.string().nullable(),
    storage: z.enum(['identity', 'connectionString']),
    serviceBus: z.enum(['identity', 'connectionString', 'notConfigured']),
  })
  .meta({ id: 'IdentityInfo' });
