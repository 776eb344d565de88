import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

describe('request pipeline through the host', () => {
  let stack: KeywardStack;
  beforeAll(async () => {
    stack = await startKeywardStack({
      env: { KEYWARD_RATE_LIMIT_READ: '20', KEYWARD_MAX_BODY_BYTES: '1024', KEYWARD_ADMINS: 'boot@example.com' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const json = (cookie: string) => ({ cookie, 'content-type': 'application/json' });

  it('puts security headers and request/correlation ids on API responses, and no CORS headers', async () => {
    const cookie = await stack.signIn({ email: 'r@example.com', roles: ['reader'] });
    const response = await fetch(`${stack.url}/api/me`, {
      headers: { cookie, origin: 'https://evil.example', 'x-correlation-id': 'trace-123' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-correlation-id')).toBe('trace-123');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({
      userId: expect.any(String),
      userEmail: 'r@example.com',
      userName: 'r@example.com',
      roles: ['reader'],
      authType: 'easyauth',
    });
  });

  it('rejects bad input with 400 naming the fields, unknown query parameters, and bodies over the limit with 413', async () => {
    const cookie = await stack.signIn({ email: 'a@example.com', roles: ['admin'] });
    const invalid = await fetch(`${stack.url}/api/keys`, {
      method: 'POST',
      headers: json(cookie),
      body: JSON.stringify({ name: '', role: 'root' }),
    });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: string; details: { field: string }[] };
    expect(body.error).toBe('invalid_request');
    expect([...new Set(body.details.map((d) => d.field))].sort()).toEqual(['body.name', 'body.role']);

    const unknown = await fetch(`${stack.url}/api/keys?limt=5`, { headers: { cookie } });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ details: [{ field: 'query.limt' }] });

    const big = await fetch(`${stack.url}/api/keys`, {
      method: 'POST',
      headers: json(cookie),
      body: JSON.stringify({ name: 'x'.repeat(2000), role: 'reader' }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('gives roles from the role table and the bootstrap admin list, and a removed assignment takes effect at once', async () => {
    const boot = await stack.signIn({ email: 'boot@example.com' });
    const meRoles = async (cookie: string): Promise<string[]> =>
      ((await (await fetch(`${stack.url}/api/me`, { headers: { cookie } })).json()) as { roles: string[] }).roles;
    expect(await meRoles(boot)).toEqual(['admin']);

    const user = await stack.signIn({ email: 'ops@example.com' });
    expect(await meRoles(user)).toEqual([]);
    expect((await fetch(`${stack.url}/api/keys`, { headers: { cookie: user } })).status).toBe(403);
    const put = await fetch(`${stack.url}/api/users/OPS@example.com`, {
      method: 'PUT',
      headers: json(boot),
      body: JSON.stringify({ role: 'operator' }),
    });
    expect(put.status).toBe(200);
    expect(await meRoles(user)).toEqual(['operator']);
    const users = (await (await fetch(`${stack.url}/api/users`, { headers: { cookie: boot } })).json()) as unknown;
    expect(users).toEqual({
      users: [expect.objectContaining({ id: 'ops@example.com', role: 'operator', updatedBy: 'boot@example.com' })],
      bootstrapAdmins: ['boot@example.com'],
    });
    expect(
      (await fetch(`${stack.url}/api/users/ops@example.com`, { method: 'DELETE', headers: { cookie: boot } })).status,
    ).toBe(204);
    expect(await meRoles(user)).toEqual([]);
  });

  it('reports the license as VaultGuard360 documents it', async () => {
    const cookie = await stack.signIn({ email: 'l@example.com' });
    const response = await fetch(`${stack.url}/api/license`, { headers: { cookie } });
    expect(await response.json()).toEqual({
      tier: 'trial',
      trialActive: true,
      trialExpiresAt: expect.stringMatching(/Z$/),
      daysRemaining: 14,
      subscriptionLimit: 15,
      itemLimit: 200,
      webhookEnabled: true,
      features: expect.arrayContaining(['scan', 'export', 'rotation']),
      // CertifyClouds' rotation licensing: no automatic rotation, 3 manual rotations a month, none used yet.
      automaticRotation: false,
      quotas: { manualRotations: { limit: 3, used: 0, resetsAt: expect.stringMatching(/-01T00:00:00\.000Z$/) } },
    });
  });

  it('serves the OpenAPI document, Swagger UI and ReDoc from its own assets', async () => {
    const openapi = (await (await fetch(`${stack.url}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/keys/{id}']));
    const docs = await fetch(`${stack.url}/docs`);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    const html = await docs.text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${stack.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    const redoc = await (await fetch(`${stack.url}/redoc`)).text();
    expect(redoc).toContain('/redoc/assets/redoc.standalone.js');
    expect((await fetch(`${stack.url}/redoc/assets/redoc.standalone.js`)).status).toBe(200);
    expect((await fetch(`${stack.url}/docs/assets/index.html`)).status).toBe(400);
  });

  it('limits requests per caller and route class with 429 and Retry-After', async () => {
    const cookie = await stack.signIn({ email: 'busy@example.com', roles: ['reader'] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 21; i += 1) {
      const response = await fetch(`${stack.url}/api/system/version`, { headers: { cookie } });
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another caller is not affected.
    const other = await stack.signIn({ email: 'calm@example.com', roles: ['reader'] });
    expect((await fetch(`${stack.url}/api/system/version`, { headers: { cookie: other } })).status).toBe(200);
  });
});
