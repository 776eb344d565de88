import type { HttpRequest } from '@azure/functions';
import type { Identity, Role } from './auth-roles';
import { bearerApiKey } from './api-key-format';
import type { ApiKeyService } from './api-key-service';
import { readTrustedPrincipal } from './easyauth-principal';
import { readEasyAuthTrust } from './easyauth-trust';
import type { UserRoleStore } from './user-role-store';

export interface IdentityResolver {
  /** Who sent the request, or null for nobody. An API key wins over a session when both are present. */
  resolve(request: HttpRequest): Promise<Identity | null>;
}

/** Parses KEYWARD_ADMINS: object ids or emails, compared lower-cased. */
export function parseBootstrapAdmins(setting: string): ReadonlySet<string> {
  return new Set(
    setting
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== ''),
  );
}

/**
 * Resolves the caller: an `Authorization: Bearer kw_…` API key, or the EasyAuth principal when the platform
 * attests EasyAuth and the principal is an Entra user of the configured tenant. A signed-in user's
 * roles are the union of their app-role claims, the role an admin gave them in the role table (by object id or
 * email) and admin if the bootstrap list names them. The platform runs EasyAuth with AllowAnonymous so API keys
 * reach the app; this is where identity is decided, and the pipeline enforces it on every non-anonymous route.
 */
export function createIdentityResolver(deps: {
  apiKeys: ApiKeyService;
  userRoles: UserRoleStore;
  bootstrapAdmins: ReadonlySet<string>;
  /** App settings and platform variables; process.env (the runtime's) by default. */
  env?: NodeJS.ProcessEnv;
}): IdentityResolver {
  // App Service restarts the app when its Authentication settings change, so reading them once is enough.
  const trust = readEasyAuthTrust(deps.env ?? process.env);
  return {
    async resolve(request) {
      // A presented but invalid key is no identity: it must not fall back to a session. Other bearer tokens
      // (Entra access tokens) are EasyAuth's business and arrive here as a principal.
      const key = bearerApiKey(request.headers.get('authorization'));
      if (key) return deps.apiKeys.authenticate(key);
      const principal = readTrustedPrincipal((name) => request.headers.get(name), trust);
      if (!principal) return null;
      const ids = [principal.userId.toLowerCase(), principal.userEmail?.toLowerCase()].filter(
        (id): id is string => id !== undefined,
      );
      const assigned = await Promise.all(ids.map((id) => deps.userRoles.get(id)));
      const roles = new Set<Role>(principal.roles);
      for (const record of assigned) if (record) roles.add(record.role);
      if (ids.some((id) => deps.bootstrapAdmins.has(id))) roles.add('admin');
      return { ...principal, roles: [...roles], authType: 'easyauth' };
    },
  };
}
