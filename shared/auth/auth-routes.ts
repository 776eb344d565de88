import { defineRoute } from '../http/route-spec';
import { atLeast } from './auth-roles';
import {
  apiKeyIdParams,
  apiKeyListSchema,
  createApiKeyBody,
  createdApiKeySchema,
  identityInfoSchema,
  meSchema,
  putUserBody,
  userIdParams,
  userListSchema,
  userRoleSchema,
} from './auth-schemas';

const me = {
  summary: 'The signed-in user or API key',
  tag: 'Identity',
  method: 'GET',
  access: 'authenticated',
  minTier: 'trial',
  rateLimit: 'read',
  trialExempt: true,
  responses: { 200: { description: 'Who is calling.', schema: meSchema } },
} as const;

const admin = { tag: 'Administration', access: atLeast('admin'), minTier: 'trial' } as const;
const notFound = { 404: { description: 'No such key or user.' } };

/** Keyed by operation id; functions/ binds one handler per key. */
export const authRoutes = {
  getMe: defineRoute({ ...me, operationId: 'getMe', path: '/api/me' }),
  getAuthMe: defineRoute({ ...me, operationId: 'getAuthMe', path: '/api/auth/me' }),
  getIdentity: defineRoute({
    operationId: 'getIdentity',
    method: 'GET',
    path: '/api/identity',
    summary: 'Which Azure credential the app uses (ids only, never a secret)',
    tag: 'System',
    access: atLeast('reader'),
    minTier: 'trial',
    rateLimit: 'read',
    responses: { 200: { description: 'The credential in use.', schema: identityInfoSchema } },
  }),
  createApiKey: defineRoute({
    ...admin,
    operationId: 'createApiKey',
    method: 'POST',
    path: '/api/keys',
    summary: 'Create an API key (returned once)',
    rateLimit: 'write',
    body: createApiKeyBody,
    responses: { 201: { description: 'The new key; store it now.', schema: createdApiKeySchema } },
    sample: { body: { name: 'matrix', role: 'reader' }, status: 201 },
  }),
  listApiKeys: defineRoute({
    ...admin,
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/api/keys',
    summary: 'List API keys (metadata only)',
    rateLimit: 'read',
    responses: { 200: { description: 'Key metadata.', schema: apiKeyListSchema } },
  }),
  revokeApiKey: defineRoute({
    ...admin,
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/api/keys/{id}',
    summary: 'Revoke an API key at once',
    rateLimit: 'write',
    params: apiKeyIdParams,
    responses: { 204: { description: 'Revoked.' }, ...notFound },
    sample: { params: { id: '000000000000' }, status: 404 },
  }),
  listUsers: defineRoute({
    ...admin,
    operationId: 'listUsers',
    method: 'GET',
    path: '/api/users',
    summary: 'List role assignments',
    rateLimit: 'read',
    responses: { 200: { description: 'Role assignments and bootstrap admins.', schema: userListSchema } },
  }),
  putUser: defineRoute({
    ...admin,
    operationId: 'putUser',
    method: 'PUT',
    path: '/api/users/{id}',
    summary: 'Give a user (object id or email) a role',
    rateLimit: 'write',
    params: userIdParams,
    body: putUserBody,
    responses: { 200: { description: 'The assignment.', schema: userRoleSchema } },
    sample: { params: { id: 'matrix.user@example.com' }, body: { role: 'reader' }, status: 200 },
  }),
  deleteUser: defineRoute({
    ...admin,
    operationId: 'deleteUser',
    method: 'DELETE',
    path: '/api/users/{id}',
    summary: "Remove a user's role assignment",
    rateLimit: 'write',
    params: userIdParams,
    responses: { 204: { description: 'Removed.' }, ...notFound },
    sample: { params: { id: 'nobody@example.com' }, status: 404 },
  }),
};
