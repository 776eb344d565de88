import { join } from 'node:path';
import { signIn, startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { HOST_FIXTURE_APP } from '../support/host-fixture';

const FIXTURE_ENV = { TICK_SCHEDULE: '0 0 0 1 1 *', QUEUE_OK: 'ok', QUEUE_OUT: 'out' };
const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const ADA = { email: 'ada@example.com', name: 'Ada Lovelace', roles: ['admin', 'reader'] };

/** Headers a client might forge to impersonate someone; EasyAuth must drop every one of them. */
const FORGED = {
  'x-ms-client-principal': Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'roles', val: 'admin' }], name_typ: 'name', role_typ: 'roles' }),
  ).toString('base64'),
  'x-ms-client-principal-id': 'forged-id',
  'x-ms-client-principal-name': 'mallory@example.com',
  'x-ms-client-principal-idp': 'aad',
  'x-ms-token-aad-access-token': 'forged-token',
};

interface WhoAmI {
  headers: Record<string, string | null>;
  user: { type: string; id: string; username: string; identityProvider: string } | null;
  roles: string[];
  claims: { auth_typ: string; name_typ: string; role_typ: string; claims: { typ: string; val: string }[] } | null;
}

const hosts: HostProcess[] = [];
async function start(args: string[] = [], env: Record<string, string> = {}): Promise<HostProcess> {
  const host = await startHostProcess({ appDir: HOST_FIXTURE_APP, env: { ...FIXTURE_ENV, ...env }, args });
  hosts.push(host);
  return host;
}

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
});

function tamper(cookie: string, change: (payload: Record<string, unknown>) => void): string {
  const [name, value] = cookie.split('=');
  const [body, mac] = (value ?? '').split('.');
  const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  change(payload);
  return `${name}=${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
}

describe('EasyAuth emulation: RedirectToLoginPage with excluded paths (fixture default)', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await start();
  });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${host.url}${path}`, { headers, redirect: 'manual' });

  it('redirects an anonymous page request to sign-in, and answers 401 to AJAX calls', async () => {
    const page = await get('/api/whoami?x=1');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fwhoami%3Fx%3D1');
    expect((await get('/api/whoami', { 'x-requested-with': 'XMLHttpRequest' })).status).toBe(401);
  });

  it('lets anonymous requests reach excluded paths (exact and /* prefix), without identity headers', async () => {
    const health = await get('/api/health', { ...FORGED, authorization: 'Bearer kw_test_key' });
    expect(health.status).toBe(200);
    const seen = ((await health.json()) as { headers: Record<string, string | null> }).headers;
    expect(seen).toEqual({
      principal: null,
      id: null,
      name: null,
      idp: null,
      token: null,
      authorization: 'Bearer kw_test_key',
    });
    expect((await get('/api/public/state')).status).toBe(200);
  });

  it('injects all four principal headers for a signed-in user, replacing forged ones, and request.user works', async () => {
    const cookie = await signIn(host.url, ADA);
    const response = await get('/api/whoami', { ...FORGED, cookie });
    expect(response.status).toBe(200);
    const body = (await response.json()) as WhoAmI;
    expect(body.headers.token).toBeNull();
    expect(body.headers.name).toBe(ADA.email);
    expect(body.headers.idp).toBe('aad');
    expect(body.headers.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.user).toEqual({
      type: 'AppService',
      id: body.headers.id,
      username: ADA.email,
      identityProvider: 'aad',
    });
    expect(body.roles).toEqual(['admin', 'reader']);
    expect(body.claims?.auth_typ).toBe('aad');
    expect(body.claims?.name_typ).toBeTruthy();
    expect(body.claims?.role_typ).toBeTruthy();
    const claims = body.claims?.claims ?? [];
    expect(claims).toEqual(
      expect.arrayContaining([
        { typ: OBJECT_ID, val: body.headers.id },
        { typ: 'name', val: ADA.name },
        { typ: 'preferred_username', val: ADA.email },
      ]),
    );
  });

  it('derives the object id from the email, stable across sign-ins and case', async () => {
    const whoami = async (email: string): Promise<string | null | undefined> => {
      const cookie = await signIn(host.url, { email });
      return ((await (await get('/api/whoami', { cookie })).json()) as WhoAmI).headers.id;
    };
    const first = await whoami('grace@example.com');
    expect(await whoami('Grace@Example.com')).toBe(first);
    expect(await whoami('linus@example.com')).not.toBe(first);
  });

  it('rejects a tampered or truncated session cookie', async () => {
    const cookie = await signIn(host.url, { email: 'eve@example.com', roles: ['reader'] });
    const promoted = tamper(cookie, (payload) => (payload.roles = ['admin']));
    const extended = tamper(cookie, (payload) => (payload.exp = Number(payload.exp) + 86_400_000));
    for (const forged of [promoted, extended, cookie.slice(0, -2), `${cookie}x`]) {
      expect((await get('/api/whoami', { cookie: forged })).status).toBe(302);
    }
    expect((await get('/api/whoami', { cookie })).status).toBe(200);
  });

  it('serves the sign-in page and sets an HttpOnly, SameSite=Lax cookie before redirecting', async () => {
    const page = await get('/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fwhoami');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form');
    expect(html).toContain('value="/api/whoami"');

    const login = await get(
      '/.auth/login/aad?user=ada%40example.com&roles=admin&post_login_redirect_uri=%2Fapi%2Fwhoami',
    );
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/api/whoami');
    const setCookie = login.headers.getSetCookie()[0] ?? '';
    expect(setCookie).toMatch(/^AppServiceAuthSession=[\w-]+\.[\w-]+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    // An expiry about 8 hours from now.
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)?.[1] ?? '');
    expect(Math.abs(expires - Date.now() - 8 * 3600_000)).toBeLessThan(10 * 60_000);
  });

  it('never redirects off-site after sign-in, and refuses an invalid user', async () => {
    const login = await get(
      '/.auth/login/aad?user=ada%40example.com&post_login_redirect_uri=https%3A%2F%2Fevil.example%2F',
    );
    expect(login.headers.get('location')).toBe('/');
    const protocolRelative = await get(
      '/.auth/login/aad?user=ada%40example.com&post_login_redirect_uri=%2F%2Fevil.example',
    );
    expect(protocolRelative.headers.get('location')).toBe('/');
    expect((await get('/.auth/login/aad?user=not-an-email')).status).toBe(400);
    expect((await get('/.auth/login/aad?user=a%40b.c&roles=bad%20role')).status).toBe(400);
  });

  it('describes the session at /.auth/me (App Service array shape), 401 without one', async () => {
    expect((await get('/.auth/me')).status).toBe(401);
    const cookie = await signIn(host.url, ADA);
    const me = (await (await get('/.auth/me', { cookie })).json()) as Record<string, unknown>[];
    expect(me).toHaveLength(1);
    expect(me[0]).toMatchObject({ provider_name: 'aad', user_id: ADA.email });
    expect(me[0]?.user_claims).toEqual(
      expect.arrayContaining([
        { typ: 'roles', val: 'admin' },
        { typ: 'roles', val: 'reader' },
      ]),
    );
  });

  it('signs out: clears the cookie and honours post_logout_redirect_uri', async () => {
    const logout = await get('/.auth/logout?post_logout_redirect_uri=%2Fapi%2Fhealth');
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('/api/health');
    expect(logout.headers.getSetCookie()[0]).toMatch(/^AppServiceAuthSession=; .*Max-Age=0/);
    expect((await get('/.auth/logout')).headers.get('location')).toBe('/.auth/logout/done');
    expect((await get('/.auth/logout/done')).status).toBe(200);
  });
});

describe("EasyAuth emulation: Return401, and Keyward's own AllowAnonymous setting", () => {
  it('answers 401 without a session (302 never), except on excluded paths', async () => {
    const host = await start(['--auth-settings', join(HOST_FIXTURE_APP, 'infra', 'authsettings-return401.json')]);
    const whoami = await fetch(`${host.url}/api/whoami`, { redirect: 'manual' });
    expect(whoami.status).toBe(401);
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    const cookie = await signIn(host.url, ADA);
    expect((await fetch(`${host.url}/api/whoami`, { headers: { cookie } })).status).toBe(200);
    const tampered = tamper(cookie, (payload) => (payload.email = 'root@example.com'));
    expect((await fetch(`${host.url}/api/whoami`, { headers: { cookie: tampered } })).status).toBe(401);
  });

  it('with infra/authsettings.json (AllowAnonymous), lets anonymous calls and Bearer keys reach the app, minus forged identity', async () => {
    const keywardSettings = join(__dirname, '..', '..', 'infra', 'authsettings.json');
    const host = await start(['--auth-settings', keywardSettings]);
    const response = await fetch(`${host.url}/api/whoami`, { headers: { ...FORGED, authorization: 'Bearer kw_abc' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as WhoAmI;
    expect(body.user).toBeNull();
    expect(body.headers).toEqual({
      principal: null,
      id: null,
      name: null,
      idp: null,
      token: null,
      authorization: 'Bearer kw_abc',
    });
  });

  it('keeps sessions across a restart with the secret persisted under .local/', async () => {
    // An empty KEYWARD_HOST_AUTH_SECRET makes the host use (and create) <app>/.local/easyauth-secret.
    const first = await start([], { KEYWARD_HOST_AUTH_SECRET: '' });
    const cookie = await signIn(first.url, ADA);
    await first.stop();
    const second = await start([], { KEYWARD_HOST_AUTH_SECRET: '' });
    expect((await fetch(`${second.url}/api/whoami`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
  });
});
