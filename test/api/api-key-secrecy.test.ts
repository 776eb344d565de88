import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

/** After creation, an API key exists only in the caller's hands: not in storage, logs or any response. */
describe('API key secrecy', () => {
  let stack: KeywardStack;
  beforeAll(async () => {
    stack = await startKeywardStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is shown once, stored only as a hash, never logged or returned again', async () => {
    const admin = { cookie: await stack.signIn({ email: 'admin@example.com', roles: ['admin'] }) };
    const created = await fetch(`${stack.url}/api/keys`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci pipeline', role: 'reader', expiresInDays: 30 }),
    });
    expect(created.status).toBe(201);
    const { key, id, prefix } = (await created.json()) as { key: string; id: string; prefix: string };
    expect(key).toMatch(/^kw_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const secret = key.slice(prefix.length + 1);

    // Use it (valid, and once more with a wrong secret), list keys, read /api/me: none of it may echo the key.
    const bearer = { authorization: `Bearer ${key}` };
    const responses: string[] = [];
    const me = await fetch(`${stack.url}/api/me`, { headers: bearer });
    expect(me.status).toBe(200);
    responses.push(await me.text());
    const wrong = await fetch(`${stack.url}/api/me`, {
      headers: { authorization: `Bearer ${prefix}_${'A'.repeat(43)}` },
    });
    expect(wrong.status).toBe(401);
    responses.push(await wrong.text());
    const list = await fetch(`${stack.url}/api/keys`, { headers: admin });
    expect(list.status).toBe(200);
    const listed = await list.text();
    responses.push(listed);
    expect(JSON.parse(listed)).toEqual({
      keys: [
        expect.objectContaining({ id, prefix, name: 'ci pipeline', role: 'reader', lastUsedAt: expect.any(String) }),
      ],
    });

    const stored = JSON.stringify(await stack.snapshotTables());
    expect(stored).toContain(id);
    for (const haystack of [stored, stack.host.output(), ...responses]) {
      expect(haystack).not.toContain(key);
      expect(haystack).not.toContain(secret);
    }

    // Revoked at once: the next call with the key is refused.
    expect((await fetch(`${stack.url}/api/keys/${id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await fetch(`${stack.url}/api/me`, { headers: bearer })).status).toBe(401);
    expect(stack.host.output()).not.toContain(secret);
  });
});
