import { HttpRequest, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { Identity } from '../auth/auth-roles';
import { createLicenseService } from '../license/license-service';
import type { Runtime } from '../runtime/runtime';
import { fixedClock } from '../time/clock';
import { createRateLimiter } from './rate-limiter';
import { ADDRESS_LIMIT_FACTOR, createRouteHandler } from './route-handler';
import { defineRoute } from './route-spec';

const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
const admin: Identity = {
  userId: 'u1',
  userEmail: 'a@example.com',
  userName: 'A',
  roles: ['admin'],
  authType: 'easyauth',
};

/** A runtime with only what the pipeline touches; identity comes from a test header. */
function fakeRuntime(
  tier: 'trial' | 'professional',
  trialStart = clock.now(),
  options: { trustForwardedFor?: boolean; limit?: number; resolved?: () => void } = {},
): Runtime {
  const limit = options.limit ?? 100;
  const partial: Pick<Runtime, 'identity' | 'license' | 'rateLimiter' | 'config'> = {
    identity: {
      resolve: async (request) => {
        options.resolved?.();
        return request.headers.get('x-test-user') === 'admin' ? admin : null;
      },
    },
    license: createLicenseService({
      tier,
      clock,
      store: { trialStart: async () => ({ startedAt: trialStart, recorded: false }) },
    }),
    rateLimiter: createRateLimiter({ clock, limits: { read: limit, write: limit, expensive: limit } }),
    config: {
      tier,
      version: '1.0.0',
      licenseUrl: 'https://buy.example',
      maxBodyBytes: 100,
      bootstrapAdmins: [],
      trustForwardedFor: options.trustForwardedFor ?? false,
    },
  };
  return partial as Runtime;
}

const route = defineRoute({
  operationId: 'thing',
  method: 'POST',
  path: '/api/things/{id}',
  summary: 'A thing',
  tag: 'Test',
  access: ['admin'],
  minTier: 'enterprise',
  rateLimit: 'write',
  params: z.object({ id: z.string().regex(/^\d+$/) }),
  body: z.object({ name: z.string() }).strict(),
  responses: { 200: { description: 'ok', schema: z.object({ id: z.string(), name: z.string() }) } },
});

function request(headers: Record<string, string> = { 'x-test-user': 'admin' }, body = '{"name":"n"}'): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/things/7',
    params: { id: '7' },
    headers: { 'content-type': 'application/json', ...headers },
    body: { string: body },
  });
}

const context = (): InvocationContext =>
  new InvocationContext({ invocationId: 'i', functionName: 'thing', logHandler: () => undefined });

describe('route pipeline', () => {
  it('answers 403 tier_required with the required tier below the route minimum tier', async () => {
    const handler = createRouteHandler(
      route,
      async () => ({ status: 200, body: {} }),
      () => fakeRuntime('professional'),
    );
    const response = await handler(request(), context());
    expect(response.status).toBe(403);
    expect(response.jsonBody).toEqual({
      error: 'tier_required',
      message: expect.any(String),
      requiredTier: 'enterprise',
    });
  });

  it('strips response fields the schema does not name, and hides handler bugs behind an opaque 500', async () => {
    const enterprise = { ...route, minTier: 'trial' as const };
    const leaky = createRouteHandler(
      enterprise,
      async ({ params, body }) => ({ status: 200, body: { id: params.id, name: body.name, secret: 's3cr3t' } }),
      () => fakeRuntime('professional'),
    );
    const ok = await leaky(request(), context());
    expect(ok.status).toBe(200);
    expect(ok.jsonBody).toEqual({ id: '7', name: 'n' });

    const broken = createRouteHandler(
      enterprise,
      async () => {
        throw new Error('connection string AccountKey=abc leaked?');
      },
      () => fakeRuntime('professional'),
    );
    const failed = await broken(request(), context());
    expect(failed.status).toBe(500);
    expect(JSON.stringify(failed.jsonBody)).not.toContain('AccountKey');
    expect(failed.jsonBody).toMatchObject({ error: 'internal_error' });
  });

  it('checks identity (401) before the trial lock (402)', async () => {
    const expiredRuntime = (): Runtime => fakeRuntime('trial', new Date('2026-04-01T00:00:00Z'));
    const handler = createRouteHandler(
      { ...route, minTier: 'trial' },
      async () => ({ status: 200, body: {} }),
      expiredRuntime,
    );
    expect((await handler(request({}), context())).status).toBe(401);
    const locked = await handler(request(), context());
    expect(locked.status).toBe(402);
    expect(locked.jsonBody).toEqual({
      error: 'trial_expired',
      message: expect.any(String),
      licenseUrl: 'https://buy.example',
    });
  });

  it('refuses a body over the limit with 413 before parsing it', async () => {
    const handler = createRouteHandler(
      { ...route, minTier: 'trial' },
      async () => ({ status: 200, body: {} }),
      () => fakeRuntime('professional'),
    );
    const response = await handler(request(undefined, JSON.stringify({ name: 'x'.repeat(200) })), context());
    expect(response.status).toBe(413);
  });

  describe('rate limits', () => {
    const ok = async () => ({ status: 200, body: { id: '7', name: 'n' } });
    const trialRoute = { ...route, minTier: 'trial' as const };
    const anonymousRoute = { ...trialRoute, access: 'anonymous' as const };

    it('count the client address before resolving any identity', async () => {
      let resolutions = 0;
      const services = fakeRuntime('professional', undefined, { limit: 2, resolved: () => (resolutions += 1) });
      const handler = createRouteHandler(trialRoute, ok, () => services);
      // Made-up credentials: each resolution would cost a key lookup; past the address's limit none happens.
      const addressLimit = 2 * ADDRESS_LIMIT_FACTOR;
      const statuses: (number | undefined)[] = [];
      for (let i = 0; i < addressLimit + 3; i += 1) {
        statuses.push((await handler(request({ 'x-test-user': 'nobody' }), context())).status);
      }
      expect(statuses.slice(0, addressLimit).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(addressLimit)).toEqual([429, 429, 429]);
      expect(resolutions).toBe(addressLimit);
    });

    it('still limit each signed-in caller to the class limit', async () => {
      const services = fakeRuntime('professional', undefined, { limit: 2 });
      const handler = createRouteHandler(trialRoute, ok, () => services);
      const statuses: (number | undefined)[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await handler(request(), context())).status);
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('ignore a client-written X-Forwarded-For when no trusted front end wrote it', async () => {
      const services = fakeRuntime('professional', undefined, { limit: 1, trustForwardedFor: false });
      const handler = createRouteHandler(anonymousRoute, ok, () => services);
      // A flood that writes a new address on each request still counts as one caller.
      const first = await handler(request({ 'x-forwarded-for': '198.51.100.1' }), context());
      const second = await handler(request({ 'x-forwarded-for': '198.51.100.2' }), context());
      expect([first.status, second.status]).toEqual([200, 429]);
    });

    it('key on the address the trusted front end appended, not on what the client put before it', async () => {
      const services = fakeRuntime('professional', undefined, { limit: 1, trustForwardedFor: true });
      const handler = createRouteHandler(anonymousRoute, ok, () => services);
      const anonymous = (xff: string) => handler(request({ 'x-forwarded-for': xff }), context());
      expect((await anonymous('203.0.113.9:50123')).status).toBe(200);
      // Same peer, a spoofed first entry and another source port: still the same caller.
      expect((await anonymous('10.0.0.1, 203.0.113.9:50999')).status).toBe(429);
      expect((await anonymous('[2001:db8::1]:443')).status).toBe(200);
    });
  });
});
