import { readAppSetting } from '../../shared/config/app-settings';
import type { Identity } from '../../shared/auth/auth-roles';
import { authRoutes } from '../../shared/auth/auth-routes';
import { notFound } from '../../shared/http/http-errors';
import { registerRoutes } from '../../shared/http/register-routes';
import type { Runtime } from '../../shared/runtime/runtime';

/** The pipeline guarantees an identity on non-anonymous routes; this narrows the type for handlers. */
function caller(identity: Identity | null): Identity {
  if (!identity) throw new Error('Identity missing on an authenticated route');
  return identity;
}

const me = async ({ identity }: { identity: Identity | null }) => ({ status: 200, body: caller(identity) });

function identityInfo(env: Runtime['env']) {
  const clientId = readAppSetting('AZURE_CLIENT_ID', env);
  const identityStorage =
    !readAppSetting('AzureWebJobsStorage', env) && readAppSetting('AzureWebJobsStorage__accountName', env);
  const serviceBus = readAppSetting('ServiceBusConnection', env)
    ? 'connectionString'
    : readAppSetting('ServiceBusConnection__fullyQualifiedNamespace', env)
      ? 'identity'
      : 'notConfigured';
  return {
    credential: clientId || identityStorage || serviceBus === 'identity' ? 'managedIdentity' : 'connectionStrings',
    managedIdentityClientId: clientId || null,
    tenantId: readAppSetting('AZURE_TENANT_ID', env) || null,
    storage: identityStorage ? 'identity' : 'connectionString',
    serviceBus,
  };
}

registerRoutes(authRoutes, {
  getMe: me,
  getAuthMe: me,
  getIdentity: async ({ runtime }) => ({ status: 200, body: identityInfo(runtime.env) }),
  createApiKey: async ({ body, identity, runtime }) => ({
    status: 201,
    body: await runtime.apiKeys.create(body, caller(identity).userEmail ?? caller(identity).userId),
  }),
  listApiKeys: async ({ runtime }) => ({ status: 200, body: { keys: await runtime.apiKeys.list() } }),
  revokeApiKey: async ({ params, runtime }) => {
    if (!(await runtime.apiKeys.revoke(params.id))) throw notFound('No API key with that id.');
    return { status: 204 };
  },
  listUsers: async ({ runtime }) => ({
    status: 200,
    body: { users: await runtime.userRoles.list(), bootstrapAdmins: runtime.config.bootstrapAdmins },
  }),
  putUser: async ({ params, body, identity, runtime }) => {
    const record = {
      id: params.id,
      role: body.role,
      updatedAt: runtime.clock.now().toISOString(),
      updatedBy: caller(identity).userEmail ?? caller(identity).userId,
    };
    await runtime.userRoles.put(record);
    return { status: 200, body: record };
  },
  deleteUser: async ({ params, runtime }) => {
    if (!(await runtime.userRoles.remove(params.id))) throw notFound('No role assignment for that user.');
    return { status: 204 };
  },
});
