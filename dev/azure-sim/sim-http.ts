import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimTokenClaims } from './sim-auth';
import type { SimApi } from './sim-knobs';
import type { VaultState } from './tenant-state';

/** One handled request, as tests and benchmarks read it from `requestLog()`. Bodies are never recorded. */
export interface SimRequest {
  /** Wall-clock time the request arrived (ISO 8601). */
  readonly at: string;
  readonly api: SimApi;
  readonly method: string;
  /** Path and query; queries carry no secrets in these APIs. */
  readonly path: string;
  readonly vault?: string;
  readonly subscriptionId?: string;
  /** 0 when the connection was reset instead of answered. */
  readonly status: number;
  readonly fault?: 'reset' | 'error' | 'slow' | 'throttled';
  readonly durationMs: number;
}

export interface CounterSet {
  requests: number;
  throttled: number;
  faults: number;
  readonly byStatus: Record<string, number>;
}

export interface SimCounters {
  readonly total: CounterSet;
  readonly byApi: Record<SimApi, CounterSet>;
  readonly byVault: Record<string, CounterSet>;
  readonly bySubscription: Record<string, CounterSet>;
}

/** What a route handler sees. */
export interface SimCall {
  readonly method: string;
  readonly url: URL;
  readonly body: unknown;
  readonly claims: SimTokenClaims;
  /** The vault whose listener received a Key Vault data-plane call. */
  readonly vault?: VaultState;
  /** The caller's IP address as the listener saw it (for network rules). */
  readonly clientAddress?: string;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Route {
  readonly method: string;
  /** Matched against the URL path, case-insensitively (ARM and Key Vault paths are case-insensitive). */
  readonly path: RegExp;
  /** Marks writes, for the ARM and Graph write buckets. */
  readonly write?: boolean;
  readonly handle: (call: SimCall, params: string[]) => SimResponse | Promise<SimResponse>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return { status, body, ...(headers ? { headers } : {}) };
}

/** The `{ error: { code, message } }` envelope ARM, Key Vault and Graph all use. */
export function apiError(status: number, code: string, message: string, inner?: string): SimResponse {
  return json(status, { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } });
}

/** Slices `all` into a page from `?$skiptoken=`/`skip` and builds the absolute next link when more remain. */
export function page<T>(
  all: readonly T[],
  url: URL,
  size: number,
  tokenParam = '$skiptoken',
): { items: T[]; nextLink?: string } {
  const start = Number(url.searchParams.get(tokenParam) ?? '0') || 0;
  const items = all.slice(start, start + size);
  if (start + size >= all.length) return { items };
  const next = new URL(url.toString());
  next.searchParams.set(tokenParam, String(start + size));
  return { items, nextLink: next.toString() };
}

export function newCounterSet(): CounterSet {
  return { requests: 0, throttled: 0, faults: 0, byStatus: {} };
}

export function countInto(set: CounterSet, entry: SimRequest): void {
  set.requests += 1;
  if (entry.fault === 'throttled') set.throttled += 1;
  else if (entry.fault) set.faults += 1;
  set.byStatus[String(entry.status)] = (set.byStatus[String(entry.status)] ?? 0) + 1;
}

export function matchRoute(routes: readonly Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(decodeURIComponent(path));
    if (m) return { route, params: m.slice(1).map((x) => x ?? '') };
  }
  return undefined;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, r: SimResponse): void {
  const payload = r.body === undefined ? '' : JSON.stringify(r.body);
  res.writeHead(r.status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'x-ms-request-id': crypto.randomUUID(),
    ...r.headers,
  });
  res.end(payload);
}
