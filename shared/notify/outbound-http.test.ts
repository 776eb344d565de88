import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../time/clock';
import { createSender } from './channel-senders';
import { DeliveryError } from './delivery-errors';
import type { DeliveryMessage } from './notify-schemas';
import { DeadlineExceededError, sendGuarded } from './outbound-http';
import { generateWebhookSecret } from './webhook-signature';

// Two servers on 127.0.0.1 (local mode allows http to loopback only): different ports are different origins.
const local = { localMode: true };

interface Seen {
  readonly server: 'first' | 'second';
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}
const seen: Seen[] = [];
let first: http.Server;
let second: http.Server;
let firstBase: string;
let secondBase: string;
/** Responses held open by the trickling endpoint, ended after each test. */
const open: http.ServerResponse[] = [];

function listen(name: Seen['server'], handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ server: name, path: req.url ?? '', headers: req.headers, body });
      handle(req, res);
    });
  });
  return new Promise<http.Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const baseOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  second = await listen('second', (req, res) => {
    if (req.url === '/back') {
      res.writeHead(307, { location: `${firstBase}/final` }).end();
      return;
    }
    res.writeHead(200).end('ok');
  });
  first = await listen('first', (req, res) => {
    const redirects: Record<string, string> = {
      '/same-origin': '/final',
      '/cross-origin': `${secondBase}/final`,
      '/via-other': `${secondBase}/back`,
      '/api/now/table/incident': `${secondBase}/stolen`,
    };
    const to = redirects[req.url ?? ''];
    if (to) {
      res.writeHead(307, { location: to }).end();
      return;
    }
    if (req.url === '/trickle') {
      // Headers at once, then a byte now and then: never idle long enough for the idle timeout to fire.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('.');
      const tick = setInterval(() => res.write('.'), 5);
      res.on('close', () => clearInterval(tick));
      open.push(res);
      return;
    }
    res.writeHead(200).end('ok');
  });
  firstBase = baseOf(first);
  secondBase = baseOf(second);
});
afterEach(() => {
  seen.length = 0;
  for (const res of open.splice(0)) res.destroy();
});
afterAll(async () => {
  await Promise.all([first, second].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const credentials = {
  authorization: 'Basic c2VjcmV0OnNlY3JldA==',
  'webhook-id': 'msg_1',
  'webhook-timestamp': '1700000000',
  'webhook-signature': 'v1,c2lnbmF0dXJl',
  'x-correlation-id': 'corr-1',
};
const send = (path: string, extra: { deadlineMs?: number; timeoutMs?: number } = {}) =>
  sendGuarded(
    { url: `${firstBase}${path}`, body: 'payload', headers: credentials },
    { policy: local, clock: systemClock, ...extra },
  );
const credentialHeaders = (s: Seen | undefined) =>
  Object.keys(s?.headers ?? {}).filter((h) => h === 'authorization' || h.startsWith('webhook-'));

describe('redirects: credentials stay with the configured origin', () => {
  it('a 307 to another origin goes there without Authorization or webhook-* headers (same origin keeps them)', async () => {
    await expect(send('/same-origin')).resolves.toMatchObject({ status: 200 });
    expect(seen[1]?.headers).toMatchObject({ authorization: credentials.authorization, 'webhook-id': 'msg_1' });
    seen.length = 0;
    await expect(send('/cross-origin')).resolves.toMatchObject({ status: 200 });
    expect(seen.map((s) => `${s.server}${s.path}`)).toEqual(['first/cross-origin', 'second/final']);
    expect(credentialHeaders(seen[0])).toHaveLength(4);
    expect(credentialHeaders(seen[1])).toEqual([]);
    // What is not a credential still goes, and so does the body (a 307 keeps it).
    expect(seen[1]?.headers['x-correlation-id']).toBe('corr-1');
    expect(seen[1]?.body).toBe('payload');
  });

  it('once dropped, the headers do not come back when a later hop returns to the first origin', async () => {
    await send('/via-other');
    expect(seen.map((s) => `${s.server}${s.path}`)).toEqual(['first/via-other', 'second/back', 'first/final']);
    expect(credentialHeaders(seen[1])).toEqual([]);
    expect(credentialHeaders(seen[2])).toEqual([]);
  });

  it('ServiceNow basic auth and a signed webhook never reach another origin through the sender', async () => {
    const sender = createSender({ policy: local, clock: systemClock, pagerDutyUrl: '', email: async () => null });
    const message: DeliveryMessage = {
      v: 1,
      deliveryKey: 'd-1',
      channel: 'servicenow',
      destination: { kind: 'channel', channel: 'servicenow' },
      alertType: 'secret_expiring',
      teamName: 'Infra',
      scanId: 's',
      createdAt: '2026-11-22T08:00:00.000Z',
      events: [],
      test: true,
    };
    const password = 'sn-password-Q7';
    await sender(message, { channel: 'servicenow', instanceUrl: firstBase, username: 'kw', password });
    await sender(
      { ...message, channel: 'webhook', destination: { kind: 'channel', channel: 'webhook' } },
      { channel: 'webhook', url: `${firstBase}/cross-origin`, secret: generateWebhookSecret() },
    );
    const elsewhere = seen.filter((s) => s.server === 'second');
    expect(elsewhere.map((s) => s.path)).toEqual(['/stolen', '/final']);
    for (const s of elsewhere) expect(credentialHeaders(s)).toEqual([]);
    expect(JSON.stringify(elsewhere)).not.toContain(Buffer.from(`kw:${password}`).toString('base64'));
  });
});

describe('an overall deadline, not only an idle timeout', () => {
  it('an endpoint that trickles its body forever is cut off at the deadline', async () => {
    const error = await send('/trickle', { deadlineMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(String((error as Error).message)).not.toContain(firstBase);
  });

  it('the sender reports it as a retryable network error that names no URL', async () => {
    const sender = createSender({
      policy: local,
      clock: systemClock,
      pagerDutyUrl: '',
      email: async () => null,
      deadlineMs: 200,
    });
    const error = await sender(
      {
        v: 1,
        deliveryKey: 'd-2',
        channel: 'slack',
        destination: { kind: 'channel', channel: 'slack' },
        alertType: 'secret_expiring',
        teamName: 'Infra',
        scanId: 's',
        createdAt: '2026-11-22T08:00:00.000Z',
        events: [],
        test: true,
      },
      { channel: 'slack', url: `${firstBase}/trickle` },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, message: 'Network error (ETIMEDOUT_TOTAL)' });
  });
});
