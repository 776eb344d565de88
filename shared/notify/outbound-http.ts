import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Clock } from '../time/clock';
import { bareHost, checkResolved, checkUrlSyntax, systemResolver, type Resolver, type UrlPolicy } from './url-guard';

export interface OutboundRequest {
  readonly url: string;
  readonly method?: 'POST' | 'GET';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface OutboundResponse {
  readonly status: number;
  readonly body: string;
  /** Seconds from a `Retry-After` header (delta-seconds or HTTP date), or null. */
  readonly retryAfterSeconds: number | null;
}

export interface OutboundOptions {
  readonly policy: UrlPolicy;
  readonly resolver?: Resolver;
  /** Idle time allowed on the socket between two reads or writes. */
  readonly timeoutMs?: number;
  /**
   * The whole delivery's time, every redirect hop and the response body included. The idle timeout alone lets an
   * endpoint that trickles a byte every few seconds hold a worker for as long as it likes.
   */
  readonly deadlineMs?: number;
  readonly maxRedirects?: number;
  /** For Retry-After given as a date. */
  readonly clock: Clock;
}

/** A redirect the sender will not follow: only 307/308 keep a POST a POST. */
export class RedirectRefusedError extends Error {
  constructor(readonly status: number) {
    super(`Endpoint answered ${status} redirect; only 307/308 are followed for a POST`);
    this.name = 'RedirectRefusedError';
  }
}

/** The delivery ran past its overall deadline; the code lets the retry path name it without the URL. */
export class DeadlineExceededError extends Error {
  readonly code = 'ETIMEDOUT_TOTAL';
  constructor(readonly deadlineMs: number) {
    super(`Delivery did not finish within ${deadlineMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

const MAX_BODY = 64 * 1024;
const DEFAULT_DEADLINE_MS = 30_000;

/**
 * Headers that carry a credential or a signature for the configured endpoint (ServiceNow's Basic auth, the
 * Standard Webhooks `webhook-*` signature and id). They are meant for that origin only, so a redirect to another
 * origin goes without them, as browsers and the Fetch standard drop `Authorization` on a cross-origin redirect.
 */
const originBound = (name: string): boolean => /^(authorization|proxy-authorization|cookie|webhook-.*)$/i.test(name);

const withoutOriginBound = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !originBound(name)));

/**
 * Sends one request to a user-configured URL with the guard applied at connection time: the socket's own DNS
 * lookup checks every address it resolves, so the address checked is the address connected to (no rebinding
 * window between a check and the connect). Redirects are followed by hand, each hop checked the same way; once a
 * hop leaves the configured origin, the origin-bound headers are gone for good. One deadline bounds it all.
 */
export async function sendGuarded(request: OutboundRequest, options: OutboundOptions): Promise<OutboundResponse> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(deadlineMs)), deadlineMs);
  try {
    const origin = new URL(request.url).origin;
    let url = request.url;
    let headers = request.headers ?? {};
    for (let hop = 0; ; hop++) {
      const response = await sendOnce({ ...request, url, headers }, options, controller.signal);
      if (response.location === null) return response;
      if (hop >= (options.maxRedirects ?? 3)) throw new RedirectRefusedError(response.status);
      if (response.status !== 307 && response.status !== 308) throw new RedirectRefusedError(response.status);
      url = new URL(response.location, url).toString();
      if (new URL(url).origin !== origin) headers = withoutOriginBound(headers);
    }
  } finally {
    clearTimeout(timer);
  }
}

function guardedLookup(url: URL, policy: UrlPolicy, resolver: Resolver): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolver(hostname).then(
      (addresses: readonly LookupAddress[]) => {
        try {
          checkResolved(url, addresses, policy);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        const first = addresses[0] as LookupAddress;
        if (lookupOptions.all) callback(null, addresses as LookupAddress[]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

function sendOnce(
  request: OutboundRequest,
  options: OutboundOptions,
  deadline: AbortSignal,
): Promise<OutboundResponse & { location: string | null }> {
  const url = checkUrlSyntax(request.url, options.policy);
  const client = url.protocol === 'https:' ? https : http;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (deadline.aborted) return Promise.reject(deadline.reason as Error);
  return new Promise<OutboundResponse & { location: string | null }>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: request.method ?? 'POST',
        headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        lookup: guardedLookup(url, options.policy, options.resolver ?? systemResolver),
        timeout: options.timeoutMs ?? 10_000,
        servername: bareHost(url),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const location = status >= 300 && status < 400 ? (res.headers.location ?? null) : null;
          resolve({
            status,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfterSeconds: parseRetryAfter(res.headers['retry-after'], options.clock.now()),
            location,
          });
        });
      },
    );
    // The deadline ends the request wherever it is: resolving, connecting, sending or reading the body.
    const onDeadline = (): void => {
      reject(deadline.reason as Error);
      req.destroy(deadline.reason as Error);
    };
    deadline.addEventListener('abort', onDeadline, { once: true });
    req.on('close', () => deadline.removeEventListener('abort', onDeadline));
    req.on('timeout', () => req.destroy(new Error('Request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** `Retry-After: 120` or `Retry-After: <HTTP date>`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
