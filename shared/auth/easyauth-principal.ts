import { z } from 'zod';
import { isRole, type Role } from './auth-roles';

const principalSchema = z.object({
  auth_typ: z.string().max(100),
  claims: z.array(z.object({ typ: z.string().max(500), val: z.string().max(4000) })).max(2000),
  name_typ: z.string().max(500).optional(),
  role_typ: z.string().max(500).optional(),
});

const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
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
}

type HeaderReader = (name: string) => string | null;

/**
 * Reads the `x-ms-client-principal*` headers. Only App Service (or the local host's emulation) can set them:
 * the platform strips client-supplied copies. Returns null when there is no principal or it is malformed.
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
  const { claims, role_typ: roleType, name_typ: nameType } = parsed.data;
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
  };
}
