import { z } from 'zod';
import { isRole, type Role } from './auth-roles';
import type { EasyAuthTrust } from './easyauth-trust';

const principalSchema = z.object({
  auth_typ: z.string().max(100),
  claims: z.array(z.object({ typ: z.string().max(500), val: z.string().max(4000) })).max(2000),
  name_typ: z.string().max(500).optional(),
  role_typ: z.string().max(500).optional(),
});

const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const TENANT_ID = ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'];
const EMAIL_TYPES = [
  'preferred_username',
  'email',
  'emails',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'upn',
];
const NAME_TYPES = ['name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

/** The signed-in user as App Service Authentication describes them. */
export interface EasyAuthPrincipal {
  readonly userId: string;
  readonly userEmail: string | null;
  readonly userName: string | null;
  /** Keyward roles from the `roles` claims (or the principal's `role_typ`); unknown role names are dropped. */
  readonly roles: readonly Role[];
  /** The tenant id claim, lower-cased, or null when the principal names none. */
  readonly tenantId: string | null;
  /** The identity providers the principal names (`x-ms-client-principal-idp`, `auth_typ`), lower-cased. */
  readonly identityProviders: readonly string[];
}

type HeaderReader = (name: string) => string | null;

/**
 * Decodes the `x-ms-client-principal*` headers, without deciding whether to believe them: only
 * `readTrustedPrincipal` does that. Returns null when there is no principal or it is malformed.
 */
export function readEasyAuthPrincipal(header: HeaderReader): EasyAuthPrincipal | null {
  const encoded = header('x-ms-client-principal');
  if (!encoded) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = principalSchema.safeParse(decoded);
  if (!parsed.success) return null;
  const { claims, role_typ: roleType, name_typ: nameType, auth_typ: authType } = parsed.data;
  const claim = (types: readonly string[]): string | null =>
    claims.find((c) => types.includes(c.typ) && c.val.trim() !== '')?.val.trim() ?? null;

  const userId = header('x-ms-client-principal-id')?.trim() || claim([OBJECT_ID, 'oid']);
  if (!userId) return null;
  const roles = new Set<Role>();
  for (const c of claims) {
    if ((c.typ === 'roles' || (roleType !== undefined && c.typ === roleType)) && isRole(c.val)) roles.add(c.val);
  }
  return {
    userId,
    userEmail: claim(EMAIL_TYPES) ?? header('x-ms-client-principal-name')?.trim() ?? null,
    userName: claim(nameType ? [nameType, ...NAME_TYPES] : NAME_TYPES),
    roles: [...roles],
    tenantId: claim(TENANT_ID)?.toLowerCase() ?? null,
    identityProviders: [header('x-ms-client-principal-idp'), authType]
      .map((idp) => idp?.trim().toLowerCase() ?? '')
      .filter((idp) => idp !== ''),
  };
}

/**
 * The principal only if it can be believed: the platform attests EasyAuth (`trust`; only then are
 * client-supplied headers stripped before they reach the app), the provider is Entra ID (`aad`) and the
 * tenant id claim is the configured tenant. Anything else is no identity.
 */
export function readTrustedPrincipal(header: HeaderReader, trust: EasyAuthTrust | null): EasyAuthPrincipal | null {
  if (!trust) return null;
  const principal = readEasyAuthPrincipal(header);
  if (!principal) return null;
  const { identityProviders: idps, tenantId } = principal;
  if (idps.length === 0 || idps.some((idp) => idp !== 'aad')) return null;
  return tenantId === trust.tenantId ? principal : null;
}
