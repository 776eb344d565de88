import { HttpRequest, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { createRouteHandler } from '../http/route-handler';
import { defineRoute } from '../http/route-spec';
import { createLicenseService } from '../license/license-service';
import { createRateLimiter } from '../http/rate-limiter';
import type { Runtime } from '../runtime/runtime';
import { fixedClock } from '../time/clock';
import type { ApiKeyService } from './api-key-service';
import { createIdentityResolver } from './identity-resolver';
import type { UserRoleStore } from './user-role-store';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = '99999999-2222-3333-4444-555555555555';
const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
const ATTESTED: NodeJS.ProcessEnv = {
  WEBSITE_AUTH_ENABLED: 'True',
  WEBSITE_AUTH_OPENID_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  WEBSITE_AUTH_CLIENT_ID: 'client',
  AZURE_TENANT_ID: TENANT,
};

const noKeys: ApiKeyService = {
  create: () => Promise.reject(new Error('unused')),
  list: async () => [],
  get: async () => null,
  revoke: async () => false,
  authenticate: async () => null,
};
const noRoles: UserRoleStore = {
  get: async () => null,
  list: async () => [],
  put: async () => undefined,
  remove: async () => false,
  getBound: async () => null,
  claimInvitation: async () => false,
  claimBootstrapEmail: async () => false,
  bootstrapHolder: async () => null,
  observeAppRoleAdmin: async () => undefined,
  appRoleAdminSeen: async () => false,
};

/** The headers EasyAuth injects for an Entra admin; `change` edits the decoded principal or the idp header. */
function principalHeaders(
  options: { tenant?: string | null; idp?: string; authType?: string } = {},
): Record<string, string> {
  const tenant = options.tenant === undefined ? TENANT : options.tenant;
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
    { typ: 'preferred_username', val: 'mallory@example.com' },
    { typ: 'roles', val: 'admin' },
    ...(tenant === null ? [] : [{ typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenant }]),
  ];
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: options.authType ?? 'aad', claims })).toString(
      'base64',
    ),
    'x-ms-client-principal-id': 'oid-1',
    'x-ms-client-principal-name': 'mallory@example.com',
    'x-ms-client-principal-idp': options.idp ?? 'aad',
  };
}

const route = defineRoute({
  operationId: 'adminThing',
  method: 'GET',
  path: '/api/admin-thing',
  summary: 'An admin-only thing',
  tag: 'Test',
  access: ['admin'],
  minTier: 'trial',
  rateLimit: 'read',
  responses: { 200: { description: 'ok', schema: z.object({ ok: z.boolean() }) } },
});

/** The real pipeline with the real identity resolver over empty stores, under `env`. */
async function statusFor(env: NodeJS.ProcessEnv, headers: Record<string, string>): Promise<number> {
  const runtime: Pick<Runtime, 'identity' | 'license' | 'rateLimiter' | 'config'> = {
    identity: createIdentityResolver({ apiKeys: noKeys, userRoles: noRoles, bootstrapAdmins: new Set(), env }),
    license: createLicenseService({
      tier: 'trial',
      clock,
      store: { trialStart: async () => ({ startedAt: clock.now(), recorded: false }) },
    }),
    rateLimiter: createRateLimiter({ clock, limits: { read: 100, write: 100, expensive: 100 } }),
    config: {
      tier: 'trial',
      version: '1.0.0',
      licenseUrl: 'https://buy.example',
      maxBodyBytes: 100,
      bootstrapAdmins: [],
    },
  };
  const handler = createRouteHandler(
    route,
    async () => ({ status: 200, body: { ok: true } }),
    () => runtime as Runtime,
  );
  const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/admin-thing', headers });
  const context = new InvocationContext({ invocationId: 'i', functionName: 'adminThing', logHandler: () => undefined });
  return (await handler(request, context)).status ?? 200;
}

describe('identity resolver: EasyAuth principals only with the platform attestation', () => {
  it('accepts an Entra principal of the configured tenant when EasyAuth is attested', async () => {
    expect(await statusFor(ATTESTED, principalHeaders())).toBe(200);
    expect(await statusFor({ ...ATTESTED, WEBSITE_AUTH_ENABLED: 'true' }, principalHeaders())).toBe(200);
  });

  it('answers 401 to forged principal headers when the platform does not attest EasyAuth', async () => {
    expect(await statusFor({ AZURE_TENANT_ID: TENANT }, principalHeaders())).toBe(401);
    expect(await statusFor({ ...ATTESTED, WEBSITE_AUTH_ENABLED: 'False' }, principalHeaders())).toBe(401);
    expect(await statusFor({ ...ATTESTED, WEBSITE_AUTH_OPENID_ISSUER: '' }, principalHeaders())).toBe(401);
    expect(await statusFor({ ...ATTESTED, WEBSITE_AUTH_CLIENT_ID: undefined }, principalHeaders())).toBe(401);
  });

  it('answers 401 to a principal from another identity provider', async () => {
    expect(await statusFor(ATTESTED, principalHeaders({ idp: 'google' }))).toBe(401);
    expect(await statusFor(ATTESTED, principalHeaders({ authType: 'facebook' }))).toBe(401);
  });

  it('answers 401 to a principal of a foreign tenant, or of none, and when no tenant is configured', async () => {
    expect(await statusFor(ATTESTED, principalHeaders({ tenant: OTHER_TENANT }))).toBe(401);
    expect(await statusFor(ATTESTED, principalHeaders({ tenant: null }))).toBe(401);
    expect(await statusFor({ ...ATTESTED, AZURE_TENANT_ID: '' }, principalHeaders())).toBe(401);
  });
});
