import type { AuditAppendInput } from '../audit/audit-types';
import { readAppSetting } from '../config/app-settings';
import { notFound } from '../http/http-errors';
import type { GroupHandlers } from '../http/register-routes';
import { auditActor, auditedChange, auditFailure } from './auth-audit';
import type { Identity } from './auth-roles';
import { creatorSubject, type ApiKeyService, type KeyCreator } from './api-key-service';
import type { authRoutes } from './auth-routes';

/** The pipeline guarantees an identity on non-anonymous routes; this narrows the type for handlers. */
function caller(identity: Identity | null): Identity {
  if (!identity) throw new Error('Identity missing on an authenticated route');
  return identity;
}

/** Who made a change, as the key and role records store it. */
const by = (identity: Identity | null): string => caller(identity).userEmail ?? caller(identity).userId;

/**
 * Whose admin role a new key depends on: the signed-in user (object id in the configured tenant, the only
 * one accepted), or, for a key made with another key, that key's creator, and it cannot outlive that key.
 */
async function keyCreator(
  identity: Identity | null,
  runtime: { env: NodeJS.ProcessEnv; apiKeys: ApiKeyService },
): Promise<KeyCreator> {
  const who = caller(identity);
  if (who.authType === 'apiKey') {
    const parent = await runtime.apiKeys.get(who.userId.replace(/^apikey:/, ''));
    const subject = parent ? creatorSubject(parent.creatorId) : null;
    // Only keys with a recorded creator authenticate, so this is a key revoked a moment ago.
    if (!parent || !subject) throw new Error('The API key that made this request has no recorded creator');
    return { name: by(identity), subject, notAfter: parent.expiresAt };
  }
  const tenantId = readAppSetting('AZURE_TENANT_ID', runtime.env).toLowerCase();
  return { name: by(identity), subject: { objectId: who.userId.toLowerCase(), tenantId }, notAfter: null };
}

const me = async ({ identity }: { identity: Identity | null }) => ({ status: 200, body: caller(identity) });

function identityInfo(env: NodeJS.ProcessEnv) {
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

/** Who am I, the app's identity, API keys and role assignments; every change audited first. */
export const authHandlers: GroupHandlers<typeof authRoutes> = {
  getMe: me,
  getAuthMe: me,
  getIdentity: async ({ runtime }) => ({ status: 200, body: identityInfo(runtime.env) }),
  // Every change below is audited first (shared/auth/auth-audit.ts): an entry, then the change.
  createApiKey: async ({ body, identity, ids, runtime }) => {
    const audit = await runtime.audit();
    let entry: AuditAppendInput | undefined;
    try {
      const created = await runtime.apiKeys.create(body, await keyCreator(identity, runtime), async (key) => {
        entry = {
          actor: auditActor(identity),
          action: 'apiKey.created',
          target: `apiKey ${key.id}`,
          outcome: 'success',
          details: { keyId: key.id, name: key.name, role: key.role, expiresAt: key.expiresAt },
          correlationId: ids.correlationId,
        };
        await audit.append(entry);
      });
      return { status: 201, body: created };
    } catch (error) {
      if (entry) await auditFailure(audit, entry, error);
      throw error;
    }
  },
  listApiKeys: async ({ runtime }) => ({ status: 200, body: { keys: await runtime.apiKeys.list() } }),
  revokeApiKey: async ({ params, identity, ids, runtime }) => {
    const key = await runtime.apiKeys.get(params.id);
    if (!key) throw notFound('No API key with that id.');
    const entry: AuditAppendInput = {
      actor: auditActor(identity),
      action: 'apiKey.revoked',
      target: `apiKey ${key.id}`,
      outcome: 'success',
      details: { keyId: key.id, name: key.name, role: key.role },
      correlationId: ids.correlationId,
    };
    await auditedChange(await runtime.audit(), entry, async () => {
      if (!(await runtime.apiKeys.revoke(key.id))) throw new Error('The API key disappeared while it was revoked');
    });
    return { status: 204 };
  },
  listUsers: async ({ runtime }) => ({
    status: 200,
    body: { users: await runtime.userRoles.list(), bootstrapAdmins: runtime.config.bootstrapAdmins },
  }),
  putUser: async ({ params, body, identity, ids, runtime }) => {
    const previous = await runtime.userRoles.get(params.id);
    // An object id is bound to the configured tenant; an e-mail is an invitation, bound at first sign-in.
    const tenantId = params.id.includes('@') ? '' : readAppSetting('AZURE_TENANT_ID', runtime.env).toLowerCase();
    const record = {
      id: params.id,
      role: body.role,
      updatedAt: runtime.clock.now().toISOString(),
      updatedBy: by(identity),
      ...(tenantId ? { tenantId } : {}),
    };
    const entry: AuditAppendInput = {
      actor: auditActor(identity),
      action: 'role.assigned',
      target: `user ${params.id}`,
      outcome: 'success',
      details: { userId: params.id, role: body.role, previousRole: previous?.role ?? null },
      correlationId: ids.correlationId,
    };
    await auditedChange(await runtime.audit(), entry, () => runtime.userRoles.put(record));
    return { status: 200, body: record };
  },
  deleteUser: async ({ params, identity, ids, runtime }) => {
    const previous = await runtime.userRoles.get(params.id);
    if (!previous) throw notFound('No role assignment for that user.');
    const entry: AuditAppendInput = {
      actor: auditActor(identity),
      action: 'role.removed',
      target: `user ${params.id}`,
      outcome: 'success',
      details: { userId: params.id, previousRole: previous.role },
      correlationId: ids.correlationId,
    };
    await auditedChange(await runtime.audit(), entry, () => runtime.userRoles.remove(params.id));
    return { status: 204 };
  },
};
