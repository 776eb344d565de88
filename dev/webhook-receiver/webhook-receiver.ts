import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. Only delivery-relevant headers are kept; an Authorization header is noted, not kept. */
export interface ReceivedDelivery {
  readonly seq: number;
  readonly receivedAt: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly hasAuthorization: boolean;
  readonly body: string;
  readonly json: unknown;
  /** Standard Webhooks verification with the receiver's secret: true/false, or null when not signed or no secret. */
  readonly signatureValid: boolean | null;
  /** The status the receiver answered. */
  readonly status: number;
}

/** A scripted answer, used once per request in order (tests: 429 with Retry-After, 500, …); then 200. */
export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface WebhookReceiverOptions {
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Standard Webhooks secret (`whsec_…`) to verify signatures with. */
  readonly secret?: string;
}

export interface RunningWebhookReceiver {
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:4000; any path under it receives. */
  readonly url: string;
  deliveries(): readonly ReceivedDelivery[];
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedDelivery[]>;
  /** Queues answers for the next requests. */
  respondWith(...responses: ScriptedResponse[]): void;
  stop(): Promise<void>;
}

const KEPT_HEADERS = [
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-correlation-id',
];

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * A local receiver for every webhook-like channel (generic webhook, Slack, Teams, PagerDuty, ServiceNow): it
 * records each request, verifies Standard Webhooks signatures with the reference `standardwebhooks` library
 * (independent of Keyward's own signer), and lists deliveries at `/` (JSON at `/api/deliveries`).
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<RunningWebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const script: ScriptedResponse[] = [];
  const waiters = new Set<() => void>();
  const verifier = options.secret ? new Webhook(options.secret) : null;
  let seq = 1;

  const verify = (body: string, headers: Record<string, string>): boolean | null => {
    if (!verifier || !headers['webhook-signature']) return null;
    try {
      verifier.verify(body, headers);
      return true;
    } catch {
      return false;
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'GET') {
        if (path === '/api/deliveries') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
          return;
        }
        const rows = [...received]
          .reverse()
          .map(
            (d) =>
              `<tr><td>${d.seq}</td><td>${escapeHtml(d.receivedAt)}</td><td>${escapeHtml(d.path)}</td><td>${d.status}</td>` +
              `<td>${d.signatureValid === null ? '—' : d.signatureValid ? '✔ valid' : '✘ INVALID'}</td>` +
              `<td><pre style="white-space:pre-wrap;max-width:70em">${escapeHtml(JSON.stringify(d.json ?? d.body, null, 2))}</pre></td></tr>`,
          )
          .join('');
        res
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          })
          .end(
            `<!doctype html><title>Keyward webhook receiver</title><body style="font-family:sans-serif;margin:1em">` +
              `<h1 style="font-size:18px">Keyward local webhook receiver — ${received.length} delivery(ies)</h1>` +
              `<table border="1" cellspacing="0" cellpadding="4"><tr><th>#</th><th>Received</th><th>Path</th><th>Answer</th><th>Signature</th><th>Body</th></tr>${rows}</table></body>`,
          );
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const answer = script.shift() ?? { status: 200 };
      received.push({
        seq: seq++,
        receivedAt: new Date().toISOString(),
        method: req.method ?? 'POST',
        path,
        headers,
        hasAuthorization: typeof req.headers.authorization === 'string',
        body,
        json,
        signatureValid: verify(body, headers),
        status: answer.status,
      });
      for (const wake of waiters) wake();
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.body ?? '{"ok":true}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    deliveries: () => [...received],
    respondWith: (...responses) => void script.push(...responses),
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (received.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve([...received]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook receiver: ${received.length} of ${count} deliveries after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
