import type { HttpRequest } from '@azure/functions';
import { readAppSetting } from '../config/app-settings';
import { appLog } from '../runtime/app-log';
import type { AuditAppender } from './auth-audit';
import type { Identity, Role } from './auth-roles';
import { bearerApiKey } from './api-key-format';
import type { ApiKeyService } from './api-key-service';
import { readTrustedPrincipal, type EasyAuthPrincipal } from './easyauth-principal';
import { readEasyAuthTrust } from './easyauth-trust';
import type { RoleSubject, UserRoleStore } from './user-role-store';

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

/** An e-mail names a person only until their first sign-in; anything with an `@` is treated as one. */
const isEmail = (id: string): boolean => id.includes('@');

/**
 * The roles Keyward itself grants a signed-in Entra user, bound to their object id and tenant: the role
 * table's assignment of the object id and KEYWARD_ADMINS' object ids. An e-mail (in an assignment or in
 * KEYWARD_ADMINS) is an invitation: the first principal that signs in with it gets it, bound to their object
 * id, and from then on nobody is matched by that e-mail again — e-mail claims are mutable and can be shared.
 */
export async function grantedRoles(
  subject: RoleSubject,
  email: string | null,
  deps: { userRoles: UserRoleStore; bootstrapAdmins: ReadonlySet<string>; audit?: AuditAppender },
): Promise<Role[]> {
  const roles: Role[] = [];
  const invitedAs = email !== null && isEmail(email) ? email : null;
  if (invitedAs && (await deps.userRoles.claimInvitation(invitedAs, subject)))
    await auditClaim(deps.audit, subject, invitedAs, 'role assignment');
  const record = await deps.userRoles.getBound(subject.objectId);
  // Object-id rows written before tenants were recorded belong to the configured tenant, the only one signed in.
  if (record && (record.tenantId ?? subject.tenantId) === subject.tenantId) roles.push(record.role);
  let bootstrap = deps.bootstrapAdmins.has(subject.objectId);
  if (!bootstrap && invitedAs !== null && deps.bootstrapAdmins.has(invitedAs)) {
    const claim = await deps.userRoles.claimBootstrapEmail(invitedAs, subject);
    if (claim === 'claimed') await auditClaim(deps.audit, subject, invitedAs, 'KEYWARD_ADMINS');
    bootstrap = claim !== false;
  }
  if (bootstrap) roles.push('admin');
  return roles;
}

/**
 * Records that an e-mail invitation was bound to the object id that claimed it. After the claim, not before: only
 * the store's atomic claim knows which of two principals with the same e-mail won. A failed append is logged and
 * does not refuse the sign-in (the binding itself is in the role table, with the e-mail it came from).
 */
async function auditClaim(
  audit: AuditAppender | undefined,
  subject: RoleSubject,
  email: string,
  source: 'role assignment' | 'KEYWARD_ADMINS',
): Promise<void> {
  if (!audit) return;
  try {
    await audit.append({
      actor: { type: 'user', id: subject.objectId, name: email },
      action: 'role.invitationClaimed',
      target: `user:${subject.objectId}`,
      outcome: 'success',
      details: { invitedAs: email, tenantId: subject.tenantId, source },
    });
  } catch (error) {
    appLog.error(`role.invitationClaimed could not be audited (${error instanceof Error ? error.name : 'error'})`);
  }
}

/**
 * Whether an API key's creator holds the admin role now: through Keyward's grants (their object id's
 * assignment, KEYWARD_ADMINS by object id or by the e-mail they claimed) or the Entra admin app role their
 * token carried when they were last seen (the app sees app roles only in tokens). Only the configured tenant
 * counts.
 */
async function creatorIsAdmin(
  creator: RoleSubject,
  tenantId: string,
  deps: { userRoles: UserRoleStore; bootstrapAdmins: ReadonlySet<string> },
): Promise<boolean> {
  if (tenantId === '' || creator.tenantId !== tenantId) return false;
  const record = await deps.userRoles.getBound(creator.objectId);
  if (record?.role === 'admin' && (record.tenantId ?? tenantId) === tenantId) return true;
  if (deps.bootstrapAdmins.has(creator.objectId)) return true;
  for (const entry of deps.bootstrapAdmins) {
    if (!isEmail(entry)) continue;
    const holder = await deps.userRoles.bootstrapHolder(entry);
    if (holder?.objectId === creator.objectId && holder.tenantId === creator.tenantId) return true;
  }
  return deps.userRoles.appRoleAdminSeen(creator);
}

const subjectOf = (principal: EasyAuthPrincipal, tenantId: string): RoleSubject => ({
  objectId: principal.userId.toLowerCase(),
  tenantId,
});

/**
 * Resolves the caller: an `Authorization: Bearer kw_…` API key, or the EasyAuth principal when the platform
 * attests EasyAuth and the principal is an Entra user of the configured tenant. A signed-in user's
 * roles are the union of their app-role claims and the roles Keyward grants their object id (grantedRoles);
 * an API key counts only while its creator holds the admin role (creatorIsAdmin).
 * The platform runs EasyAuth with AllowAnonymous so API keys reach the app; this is where identity is decided,
 * and the pipeline enforces it on every non-anonymous route.
 */
export function createIdentityResolver(deps: {
  apiKeys: ApiKeyService;
  userRoles: UserRoleStore;
  bootstrapAdmins: ReadonlySet<string>;
  /** Records invitation claims (role.invitationClaimed). */
  audit?: AuditAppender;
  /** App settings and platform variables; process.env (the runtime's) by default. */
  env?: NodeJS.ProcessEnv;
}): IdentityResolver {
  // App Service restarts the app when its Authentication settings change, so reading them once is enough.
  const env = deps.env ?? process.env;
  const trust = readEasyAuthTrust(env);
  const tenantId = readAppSetting('AZURE_TENANT_ID', env).trim().toLowerCase();
  return {
    async resolve(request) {
      // A presented but invalid key is no identity: it must not fall back to a session. Other bearer tokens
      // (Entra access tokens) are EasyAuth's business and arrive here as a principal.
      const key = bearerApiKey(request.headers.get('authorization'));
      if (key) {
        const found = await deps.apiKeys.authenticate(key);
        // A key needs its creator to hold admin now: it is worth nothing once they lose the role.
        if (!found?.creator || !(await creatorIsAdmin(found.creator, tenantId, deps))) return null;
        return found.identity;
      }
      const principal = readTrustedPrincipal((name) => request.headers.get(name), trust);
      if (!principal || !trust) return null;
      const email = principal.userEmail?.toLowerCase() ?? null;
      const subject = subjectOf(principal, trust.tenantId);
      await deps.userRoles.observeAppRoleAdmin(subject, principal.roles.includes('admin'));
      const granted = await grantedRoles(subject, email, deps);
      const roles = new Set<Role>([...principal.roles, ...granted]);
      return {
        userId: principal.userId,
        userEmail: principal.userEmail,
        userName: principal.userName,
        roles: [...roles],
        authType: 'easyauth',
      };
    },
  };
}
