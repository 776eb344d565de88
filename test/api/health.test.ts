import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

describe('GET /api/health and /health through the host', () => {
  let stack: KeywardStack;
  beforeAll(async () => {
    stack = await startKeywardStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it.each(['/api/health', '/health'])(
    '%s answers 200 healthy, anonymously, with every check reachable',
    async (path) => {
      const response = await fetch(`${stack.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'healthy',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        tier: 'trial',
        identity: 'not_configured',
        checks: { tableStorage: 'reachable', blobStorage: 'reachable', serviceBus: 'reachable' },
      });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});

describe('GET /api/health with a backend gone', () => {
  let stack: KeywardStack;
  beforeAll(async () => {
    stack = await startKeywardStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  // Its own host: the app answers /health from a 10-second cache (shared/health/health-cache.ts), so a host that
  // has just reported healthy would keep saying so for the rest of the window.
  it('answers 503 degraded when Service Bus is gone', async () => {
    await stack.serviceBus.stop();
    const response = await fetch(`${stack.url}/api/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('degraded');
    expect(body.checks).toEqual({ tableStorage: 'reachable', blobStorage: 'reachable', serviceBus: 'unreachable' });
  });
});
