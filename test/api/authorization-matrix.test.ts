import { TableClient } from '@azure/data-tables';
import { isRole, type Role } from '../../shared/auth/auth-roles';
import { apiRoutes } from '../../shared/http/api-routes';
import { successStatus, type RouteSpec } from '../../shared/http/route-spec';
import { signIn, startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { APP_DIR, startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { accessRule, roleRank, tierRank, type AccessRule, type OracleTier } from './route-access-table';
import { callRoute, sampleParts } from './route-requests';

/**
 * Every route × every kind of caller → the status the oracle table (`route-access-table.ts`, reviewed data, not
 * the route table the pipeline enforces) implies. A declared route without a row fails here and in
 * `route-access-table.test.ts`, which names it.
 */
type Caller =
  | 'anonymous'
  | 'forgedPrincipal'
  | 'unattestedPrincipal'
  | 'foreignTenant'
  | 'emailCollision'
  | Role
  | 'apiKey'
  | 'revokedApiKey'
  | 'expiredTrial';
const callers: readonly Caller[] = [
  'anonymous',
  'forgedPrincipal',
  'unattestedPrincipal',
  'foreignTenant',
  'emailCollision',
  'reader',
  'operator',
  'admin',
  'apiKey',
  'revokedApiKey',
  'expiredTrial',
];
const TIER: OracleTier = 'trial';
const API_KEY_ROLE: Role = 'operator';

/** Callers the app must treat as nobody: every route that is not anonymous answers them 401. */
const NO_IDENTITY: ReadonlySet<Caller> = new Set<Caller>([
  'anonymous',
  'forgedPrincipal',
  'unattestedPrincipal',
  'foreignTenant',
  'revokedApiKey',
]);

/** Whether a caller holding `role` (null: signed in, no role) may call a route with this rule. */
function roleAllowed(rule: AccessRule, role: Role | null): boolean {
  if (rule.minRole === 'anonymous' || rule.minRole === 'authenticated') return true;
  return role !== null && roleRank[role] >= roleRank[rule.minRole];
}

function expectedStatus(route: RouteSpec, caller: Caller): number {
  const rule = accessRule(route.method, route.path);
  if (!rule) throw new Error(`${route.method} ${route.path} has no row in test/api/route-access-table.ts`);
  if (caller === 'expiredTrial') return rule.trialExempt ? successStatus(route) : 402;
  if (NO_IDENTITY.has(caller)) return rule.minRole === 'anonymous' ? successStatus(route) : 401;
  const role = caller === 'apiKey' ? API_KEY_ROLE : isRole(caller) ? caller : null;
  if (!roleAllowed(rule, role)) return 403;
  return tierRank[TIER] >= tierRank[rule.minTier] ? successStatus(route) : 403;
}

/** A principal header a client made up: the platform (and the local host) must strip it. */
function forgedHeaders(): Record<string, string> {
  const principal = {
    auth_typ: 'aad',
    claims: [
      { typ: 'roles', val: 'admin' },
      { typ: 'preferred_username', val: 'mallory@example.com' },
    ],
  };
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'x-ms-client-principal-id': 'mallory',
    'x-ms-client-principal-name': 'mallory@example.com',
    'x-ms-client-principal-idp': 'aad',
  };
}

async function createKey(stack: KeywardStack, adminCookie: string, role: Role): Promise<{ id: string; key: string }> {
  const response = await fetch(`${stack.url}/api/keys`, {
    method: 'POST',
    headers: { cookie: adminCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `matrix-${role}`, role }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/**
 * A further host of the same app over the stack's storage and Service Bus (timers stay with the stack's host),
 * with host arguments or app settings that differ.
 */
const MATRIX_RATE_LIMITS = { KEYWARD_RATE_LIMIT_EXPENSIVE: '1000' };

function extraHost(stack: KeywardStack, args: string[], env: Record<string, string> = {}): Promise<HostProcess> {
  return startHostProcess({ appDir: APP_DIR, env: { ...stack.env, ...env }, args: ['--no-timers', ...args] });
}

describe('authorization matrix (every route × every caller)', () => {
  let stack: KeywardStack;
  let expired: KeywardStack;
  const extraHosts: HostProcess[] = [];
  const headers = {} as Record<Caller, Record<string, string>>;
  /** Where each caller's requests go: the stack's host unless the caller needs a host of its own. */
  const urls = {} as Record<Caller, string>;

  beforeAll(async () => {
    [stack, expired] = await Promise.all([
      // Every expensive route is called once per caller, more than the per-minute budget allows (the limiter has its
      // own tests in abuse.test.ts): the matrix tests who may call, not how often.
      startKeywardStack({ env: MATRIX_RATE_LIMITS }),
      // A deployment whose trial started 15 days ago (the start is recorded in Table Storage, as in production).
      startKeywardStack({
        env: MATRIX_RATE_LIMITS,
        seed: async (connectionString) => {
          const table = TableClient.fromConnectionString(connectionString, 'KeywardLicense', {
            allowInsecureConnection: true,
          });
          await table.createTable();
          const startedAt = new Date(Date.now() - 15 * 86_400_000).toISOString();
          await table.createEntity({ partitionKey: 'license', rowKey: 'trial', startedAt });
        },
      }),
    ]);
    const session = (role: Role): Promise<string> =>
      stack.signIn({ email: `${role}@example.com`, name: `The ${role}`, roles: [role] });
    headers.anonymous = {};
    headers.forgedPrincipal = forgedHeaders();
    headers.reader = { cookie: await session('reader') };
    headers.operator = { cookie: await session('operator') };
    headers.admin = { cookie: await session('admin') };
    const valid = await createKey(stack, headers.admin.cookie ?? '', API_KEY_ROLE);
    headers.apiKey = { authorization: `Bearer ${valid.key}` };
    const revoked = await createKey(stack, headers.admin.cookie ?? '', 'admin');
    const revoke = await fetch(`${stack.url}/api/keys/${revoked.id}`, { method: 'DELETE', headers: headers.admin });
    expect(revoke.status).toBe(204);
    headers.revokedApiKey = { authorization: `Bearer ${revoked.key}` };
    headers.expiredTrial = {
      cookie: await expired.signIn({ email: 'admin@example.com', name: 'Admin', roles: ['admin'] }),
    };
    const admin = { email: 'admin@example.com', name: 'Admin', roles: ['admin'] };
    // collide@example.com is invited as admin and claims it at first sign-in; the same e-mail under another
    // object id (an account re-created with that address) must then get no role at all.
    const invite = await fetch(`${stack.url}/api/users/collide@example.com`, {
      method: 'PUT',
      headers: { ...headers.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    expect(invite.status).toBe(200);
    const invited = await stack.signIn({ email: 'collide@example.com', name: 'Invited' });
    const me = await fetch(`${stack.url}/api/me`, { headers: { cookie: invited } });
    expect(await me.json()).toMatchObject({ roles: ['admin'] });
    const [unattested, foreign, recreated] = await Promise.all([
      // Authentication switched off: the platform no longer attests EasyAuth, so the principal headers the app
      // receives (here a signed-in admin's, which the app cannot tell from forged ones) are no identity.
      extraHost(stack, ['--no-easyauth-attestation']),
      // The app is configured for another tenant than the one the (local) Entra sign-in issues users from.
      extraHost(stack, [], { AZURE_TENANT_ID: 'f0f0f0f0-0000-4000-8000-00000000beef' }),
      extraHost(stack, ['--object-id-seed', 'recreated-accounts']),
    ]);
    extraHosts.push(unattested, foreign, recreated);
    headers.emailCollision = { cookie: await signIn(recreated.url, { email: 'collide@example.com', name: 'Other' }) };
    urls.emailCollision = recreated.url;
    headers.unattestedPrincipal = { cookie: await signIn(unattested.url, admin) };
    urls.unattestedPrincipal = unattested.url;
    headers.foreignTenant = { cookie: await signIn(foreign.url, admin) };
    urls.foreignTenant = foreign.url;
  });

  afterAll(async () => {
    await Promise.all([stack?.stop(), expired?.stop(), ...extraHosts.map((host) => host.stop())]);
  });

  const cases = apiRoutes.flatMap((route) => callers.map((caller) => [route.operationId, caller, route] as const));

  it.each(cases)('%s as %s', async (_id, caller, route) => {
    const url = caller === 'expiredTrial' ? expired.url : (urls[caller] ?? stack.url);
    const response = await callRoute(url, route, sampleParts(route), headers[caller]);
    const expected = expectedStatus(route, caller);
    const text = await response.text();
    expect({ status: response.status, body: text.slice(0, 300) }).toMatchObject({ status: expected });
    if (expected === 401) expect(JSON.parse(text)).toMatchObject({ error: 'unauthorized' });
    if (expected === 402) {
      expect(JSON.parse(text)).toEqual({
        error: 'trial_expired',
        message: expect.any(String),
        licenseUrl: expect.stringMatching(/^https:\/\//),
      });
    }
    if (expected === 403)
      expect(JSON.parse(text)).toMatchObject({ error: expect.stringMatching(/^(forbidden|tier_required)$/) });
  });
});
