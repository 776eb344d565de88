import { TableClient } from '@azure/data-tables';
import type { Role } from '../../shared/auth/auth-roles';
import { apiRoutes } from '../../shared/http/api-routes';
import { successStatus, type RouteSpec } from '../../shared/http/route-spec';
import { tierAllows, type Tier } from '../../shared/license/license-tiers';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { callRoute, sampleParts } from './route-requests';

/**
 * Every route in the table × every kind of caller → the status the route's declaration implies. The table
 * drives it: a route added later is in the matrix without any change here.
 */
type Caller = 'anonymous' | 'forgedPrincipal' | Role | 'apiKey' | 'revokedApiKey' | 'expiredTrial';
const callers: readonly Caller[] = [
  'anonymous',
  'forgedPrincipal',
  'reader',
  'operator',
  'admin',
  'apiKey',
  'revokedApiKey',
  'expiredTrial',
];
const TIER: Tier = 'trial';
const API_KEY_ROLE: Role = 'operator';

function roleAllowed(route: RouteSpec, role: Role): boolean {
  if (route.access === 'anonymous' || route.access === 'authenticated') return true;
  return route.access.includes(role);
}

function expectedStatus(route: RouteSpec, caller: Caller): number {
  if (caller === 'expiredTrial') return route.trialExempt ? successStatus(route) : 402;
  if (caller === 'anonymous' || caller === 'forgedPrincipal' || caller === 'revokedApiKey') {
    return route.access === 'anonymous' ? successStatus(route) : 401;
  }
  const role = caller === 'apiKey' ? API_KEY_ROLE : caller;
  if (!roleAllowed(route, role)) return 403;
  return tierAllows(TIER, route.minTier) ? successStatus(route) : 403;
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

describe('authorization matrix (every route × every caller)', () => {
  let stack: KeywardStack;
  let expired: KeywardStack;
  const headers = {} as Record<Caller, Record<string, string>>;

  beforeAll(async () => {
    [stack, expired] = await Promise.all([
      startKeywardStack(),
      // A deployment whose trial started 15 days ago (the start is recorded in Table Storage, as in production).
      startKeywardStack({
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
  });

  afterAll(async () => {
    await Promise.all([stack?.stop(), expired?.stop()]);
  });

  const cases = apiRoutes.flatMap((route) => callers.map((caller) => [route.operationId, caller, route] as const));

  it.each(cases)('%s as %s', async (_id, caller, route) => {
    const target = caller === 'expiredTrial' ? expired : stack;
    const response = await callRoute(target.url, route, sampleParts(route), headers[caller]);
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
