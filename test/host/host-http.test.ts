import { signIn, startHostProcess, type HostProcess } from '../../dev/host/host-process';
import { HOST_FIXTURE_APP } from '../support/host-fixture';

/** Settings the fixture app reads. Service Bus is not configured here: its listeners fail, the rest runs. */
const FIXTURE_ENV = { TICK_SCHEDULE: '0 0 0 1 1 *', QUEUE_OK: 'ok', QUEUE_OUT: 'out' };

interface FixtureEvent {
  readonly kind: string;
  readonly [key: string]: unknown;
}

let host: HostProcess;
let cookie: string;

beforeAll(async () => {
  host = await startHostProcess({ appDir: HOST_FIXTURE_APP, env: FIXTURE_ENV });
  cookie = await signIn(host.url, { email: 'ada@example.com', name: 'Ada', roles: ['admin'] });
});

afterAll(async () => {
  await host.stop();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${host.url}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' });
}

async function events(): Promise<FixtureEvent[]> {
  return (await (await fetch(`${host.url}/api/public/state`)).json()) as FixtureEvent[];
}

async function waitForEvents(predicate: (all: FixtureEvent[]) => boolean): Promise<FixtureEvent[]> {
  for (;;) {
    const all = await events();
    if (predicate(all)) return all;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('local host: HTTP triggers', () => {
  it('passes route parameters, repeated query values and headers to the handler', async () => {
    const response = await get('/api/items/42?q=a&q=b', { 'x-custom': 'hello' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ route: 'itemsGet', id: '42', q: ['a', 'b'], custom: 'hello' });
  });

  it('prefers literal routes over parameters, and parameters over catch-alls', async () => {
    expect(await (await get('/api/items/new')).json()).toEqual({ route: 'itemsNew' });
    // `{id:int}` does not accept "abc", so the catch-all takes it.
    expect(await (await get('/api/items/abc')).json()).toEqual({ route: 'fallback', rest: 'items/abc' });
  });

  it('handles optional and catch-all parameters', async () => {
    expect(await (await get('/api/opt')).json()).toEqual({ name: null });
    expect(await (await get('/api/opt/bob')).json()).toEqual({ name: 'bob' });
    expect(await (await get('/api/files/a/b%20c/d.txt')).json()).toEqual({ path: 'a/b c/d.txt' });
  });

  it('delivers the body and request cookies, and returns status, headers and Set-Cookie', async () => {
    const response = await fetch(`${host.url}/api/echo`, {
      method: 'POST',
      headers: { cookie: `flavour=mint; ${cookie}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    const setCookie = response.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^seen=yes; Path=\/api; HttpOnly; SameSite=Strict$/);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ method: 'POST', body: '{"hello":"world"}', contentType: 'application/json' });
    expect(body.flavour).toContain('flavour=mint');
  });

  it('answers 500 with a generic body when a handler throws, and logs the full error locally', async () => {
    const response = await get('/api/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('do-not-leak-this-detail');
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(host.output()).toContain('fixture exploded: do-not-leak-this-detail');
    expect(host.output()).toMatch(/ERROR \[boom [0-9a-f-]{36}\][\s\S]*at .*http\.js:\d+/);
  });

  it('answers 404 for no route and 405 (with Allow) for a route without that method', async () => {
    expect((await get('/not-under-the-prefix')).status).toBe(404);
    const response = await fetch(`${host.url}/api/items/5`, { method: 'DELETE', headers: { cookie } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('refuses bodies over the limit with 413', async () => {
    const response = await fetch(`${host.url}/api/echo`, {
      method: 'POST',
      headers: { cookie },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 'x'),
    });
    expect(response.status).toBe(413);
  });

  it('logs context.log lines with the function name and invocation id', async () => {
    await get('/api/items/7');
    expect(host.output()).toMatch(/INFORMATION \[itemsGet [0-9a-f-]{36}\] item 7 requested/);
  });
});

describe('local host: timers, hooks and the admin API', () => {
  it('runs a runOnStartup timer with isPastDue and the schedule from a %SETTING%', async () => {
    const all = await waitForEvents((e) => e.some((x) => x.kind === 'tick'));
    const tick = all.find((x) => x.kind === 'tick');
    expect(tick).toMatchObject({ isPastDue: false, adjustForDST: true });
    // TICK_SCHEDULE is yearly: the next occurrence is 1 January, 00:00:00 UTC.
    expect(String(tick?.next)).toMatch(/^\d{4}-01-01T00:00:00\.000Z$/);
  });

  it('runs a timer on demand through POST /admin/functions/{name} (202)', async () => {
    const before = (await events()).filter((x) => x.kind === 'tick').length;
    const response = await fetch(`${host.url}/admin/functions/tick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: '' }),
    });
    expect(response.status).toBe(202);
    const all = await waitForEvents((e) => e.filter((x) => x.kind === 'tick').length > before);
    expect(all.filter((x) => x.kind === 'tick').at(-1)).toMatchObject({ isPastDue: false });
  });

  it('rejects admin calls for HTTP functions and unknown names', async () => {
    const post = (name: string): Promise<Response> =>
      fetch(`${host.url}/admin/functions/${name}`, { method: 'POST', body: '{"input":""}' });
    expect((await post('boom')).status).toBe(400);
    expect((await post('no-such-function')).status).toBe(404);
  });

  it('ran appStart, and postInvocation hooks saw failures and shared hookData with preInvocation', async () => {
    await get('/api/boom');
    const all = await waitForEvents((e) => e.some((x) => x.kind === 'postInvocation' && x.functionName === 'boom'));
    expect(all[0]).toMatchObject({ kind: 'appStart' });
    expect(all.find((x) => x.kind === 'postInvocation' && x.functionName === 'boom')).toMatchObject({ failed: true });
    expect(all.find((x) => x.kind === 'postInvocation' && x.functionName === 'itemsGet')).toMatchObject({
      failed: false,
    });
  });

  it('stops on SIGTERM: finishes the invocation in flight, refuses new requests, runs appTerminate, exits 0', async () => {
    const inFlight = fetch(`${host.url}/api/public/slow?ms=1500`);
    await waitForEvents((e) => e.some((x) => x.kind === 'slowHttpStart'));
    const stopped = host.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await stopped;
    expect(await host.exited).toBe(0);
    await expect(fetch(`${host.url}/api/health`)).rejects.toThrow();
    expect(host.output()).toContain('FIXTURE appTerminate ran after appStart');
  });
});

describe('local host: a further instance of a scaled-out app (--no-timers)', () => {
  it('serves HTTP and runs functions on demand, but leaves the timers to the first instance', async () => {
    const further = await startHostProcess({ appDir: HOST_FIXTURE_APP, env: FIXTURE_ENV, args: ['--no-timers'] });
    try {
      const state = async () => (await (await fetch(`${further.url}/api/public/state`)).json()) as FixtureEvent[];
      expect((await state()).some((e) => e.kind === 'appStart')).toBe(true);
      // The fixture's timer runs on startup on a first instance; here only the on-demand run below may tick.
      const response = await fetch(`${further.url}/admin/functions/tick`, { method: 'POST', body: '{"input":""}' });
      expect(response.status).toBe(202);
      let ticks: FixtureEvent[] = [];
      while (ticks.length === 0) {
        ticks = (await state()).filter((e) => e.kind === 'tick');
        if (ticks.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ticks).toHaveLength(1);
    } finally {
      await further.stop();
    }
  });
});
