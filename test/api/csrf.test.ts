import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

/**
 * Cross-site request forgery (issue 18, item 4): a page on another site can make a signed-in admin's browser send
 * the session cookie with a POST, or navigate it to the audit export. The pipeline refuses both before any state
 * changes; an API key, which no browser attaches on its own, is exempt.
 */
describe('cross-site requests to routes that write', () => {
  let stack: KeywardStack;
  let admin: string;
  beforeAll(async () => {
    stack = await startKeywardStack();
    admin = await stack.signIn({ email: 'admin@example.com', roles: ['admin'] });
    // Sign-in side effects (the role binding written at a principal's first request) happen here, not in the tests.
    expect((await fetch(`${stack.url}/api/me`, { headers: { cookie: admin } })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const createKey = (headers: Record<string, string>, name: string): Promise<Response> =>
    fetch(`${stack.url}/api/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name, role: 'reader' }),
    });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['the same host on another port', { origin: 'http://127.0.0.1:1' }],
  ])('refuses a cookie POST with %s (403) and changes nothing', async (_name, headers) => {
    const before = await stack.snapshotTables();
    const response = await createKey({ cookie: admin, ...headers }, 'forged');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'cross_site_request', message: expect.any(String) });
    expect(await stack.snapshotTables()).toEqual(before);
  });

  it('accepts a same-origin POST from the dashboard', async () => {
    const response = await createKey(
      { cookie: admin, origin: stack.url, 'sec-fetch-site': 'same-origin' },
      'same-origin',
    );
    expect(response.status).toBe(201);
  });

  it('accepts a cross-site POST authenticated by an API key', async () => {
    const adminKey = (await (
      await fetch(`${stack.url}/api/keys`, {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'admin-automation', role: 'admin' }),
      })
    ).json()) as { key: string };
    const write = await createKey(
      { authorization: `Bearer ${adminKey.key}`, origin: 'https://ci.example', 'sec-fetch-site': 'cross-site' },
      'from-ci',
    );
    expect(write.status).toBe(201);
  });

  it('refuses a cross-site navigation to the audit export (a GET that writes) and serves a same-origin one', async () => {
    const before = await stack.snapshotTables();
    const forged = await fetch(`${stack.url}/api/audit/export?format=csv`, {
      headers: { cookie: admin, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: 'cross_site_request' });
    expect(await stack.snapshotTables()).toEqual(before);
    const own = await fetch(`${stack.url}/api/audit/export?format=csv`, {
      headers: { cookie: admin, 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(200);
  });

  it('still serves cross-site reads (a GET that does not write)', async () => {
    const response = await fetch(`${stack.url}/api/me`, {
      headers: { cookie: admin, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(200);
  });
});
