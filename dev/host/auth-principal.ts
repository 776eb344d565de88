import { createHash } from 'node:crypto';
import type { SessionUser } from './auth-session';

export interface PrincipalClaim {
  readonly typ: string;
  readonly val: string;
}

/** The decoded `X-MS-CLIENT-PRINCIPAL` JSON, in App Service's (not Static Web Apps') shape. */
export interface ClientPrincipal {
  readonly auth_typ: 'aad';
  readonly name_typ: string;
  readonly role_typ: string;
  readonly claims: readonly PrincipalClaim[];
}

export const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const ROLE_CLAIM = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
/** A fixed, obviously local tenant id. */
export const LOCAL_TENANT_ID = '00000000-0000-0000-0000-00000000cafe';

let objectIdSeed = 'keyward-local';

/**
 * Emulates accounts deleted and re-created with the same e-mail: under another seed every e-mail has another
 * object id. Set once per host process (the host, like the worker, is one per process) by host-cli's
 * `--object-id-seed`, before the first sign-in.
 */
export function useObjectIdSeed(seed: string): void {
  objectIdSeed = seed;
}

/**
 * A stable object id for an email (case-insensitive): a UUID built from SHA-256, so the same local user
 * keeps the same id across sessions and restarts, as an Entra user keeps their object id.
 */
export function objectIdFor(email: string): string {
  const hex = createHash('sha256').update(`${objectIdSeed}:${email.trim().toLowerCase()}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Claims as EasyAuth presents an Entra v2 user: one `roles` claim per app role. */
export function claimsFor(user: SessionUser): PrincipalClaim[] {
  return [
    { typ: OBJECT_ID_CLAIM, val: objectIdFor(user.email) },
    { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: LOCAL_TENANT_ID },
    { typ: EMAIL_CLAIM, val: user.email },
    { typ: 'name', val: user.name },
    { typ: 'preferred_username', val: user.email },
    ...user.roles.map((role) => ({ typ: 'roles', val: role })),
  ];
}

export function principalFor(user: SessionUser): ClientPrincipal {
  return { auth_typ: 'aad', name_typ: EMAIL_CLAIM, role_typ: ROLE_CLAIM, claims: claimsFor(user) };
}

/**
 * The four headers App Service injects for a signed-in request. All four together: `request.user` in
 * @azure/functions throws when the principal is present without `-id`, `-name` or `-idp`.
 */
export function principalHeaders(user: SessionUser): Record<string, string> {
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principalFor(user))).toString('base64'),
    'x-ms-client-principal-id': objectIdFor(user.email),
    'x-ms-client-principal-name': user.email,
    'x-ms-client-principal-idp': 'aad',
  };
}

/** True for headers only EasyAuth may set; a client's copies are always removed. */
export function isPlatformIdentityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-');
}

/** One `/.auth/me` entry. The local token store holds no provider tokens, so none are listed. */
export function meEntry(user: SessionUser, expires: Date): Record<string, unknown> {
  return {
    provider_name: 'aad',
    user_id: user.email,
    user_claims: claimsFor(user),
    expires_on: expires.toISOString(),
  };
}
