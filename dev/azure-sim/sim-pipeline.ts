import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenService } from './sim-auth';
import {
  apiError,
  matchRoute,
  readBody,
  send,
  countInto,
  newCounterSet,
  type Route,
  type SimCounters,
  type SimRequest,
  type SimResponse,
} from './sim-http';
import {
  createBuckets,
  seededRandom,
  type BucketDraw,
  type FaultApi,
  type FaultKnobs,
  type SimKnobs,
} from './sim-knobs';
import type { VaultState } from './tenant-state';

/** Where a request landed, decided by the listener and path before any handler runs. */
export interface Dispatch {
  readonly api: FaultApi;
  /** ARM and Key Vault refuse a request without `api-version`; Graph carries the version in the path. */
  readonly requiresApiVersion: boolean;
  readonly routes: readonly Route[];
  /** Token audiences this API accepts. */
  readonly audiences: readonly string[];
  readonly vault?: VaultState;
  readonly subscriptionId?: string;
  /** Throttling draws for this request (already sized by the caller). */
  readonly draws: (method: string, url: URL, write: boolean) => BucketDraw[];
  /** Extra response headers on a 401, e.g. the Key Vault challenge. */
  readonly challenge: Record<string, string>;
}

const UNAUTHORIZED: Record<Dispatch['api'], (reason: string) => SimResponse> = {
  keyvault: () => apiError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
  arm: (reason) => apiError(401, 'AuthenticationFailed', `Authentication failed: ${reason}.`),
  graph: (reason) => apiError(401, 'InvalidAuthenticationToken', `Access token validation failure: ${reason}.`),
};

const THROTTLED: Record<Dispatch['api'], SimResponse> = {
  keyvault: apiError(
    429,
    'Throttled',
    'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  ),
  arm: apiError(
    429,
    'TooManyRequests',
    'The request was throttled by the regional token bucket. Retry after the interval in Retry-After.',
  ),
  graph: apiError(429, 'TooManyRequests', 'Too many requests. Please retry after the interval in Retry-After.'),
};

/**
 * Runs every simulated request through the same steps: fault injection, latency, bearer check, throttling,
 * routing; then records it in the log and counters.
 */
export function createPipeline(tokens: TokenService, knobs: () => SimKnobs) {
  const buckets = createBuckets();
  let random = seededRandom(knobs().seed);
  const log: SimRequest[] = [];
  const counters: SimCounters = {
    total: newCounterSet(),
    byApi: { arm: newCounterSet(), keyvault: newCounterSet(), graph: newCounterSet(), identity: newCounterSet() },
    byVault: {},
    bySubscription: {},
  };

  function record(entry: SimRequest): void {
    log.push(entry);
    const max = knobs().maxLogEntries;
    if (log.length > max) log.splice(0, log.length - max);
    countInto(counters.total, entry);
    countInto(counters.byApi[entry.api], entry);
    if (entry.vault) countInto((counters.byVault[entry.vault] ??= newCounterSet()), entry);
    if (entry.subscriptionId)
      countInto((counters.bySubscription[entry.subscriptionId.toLowerCase()] ??= newCounterSet()), entry);
  }

  function faultsFor(d: Dispatch): FaultKnobs {
    const k = knobs();
    return { ...k.apis[d.api], ...(d.vault ? k.vaults[d.vault.spec.name] : {}) };
  }

  /** Never rejects: a bug in a handler answers 500 rather than crashing the simulator. */
  async function handle(d: Dispatch, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await run(d, req, res);
    } catch (error) {
      if (!res.headersSent) send(res, apiError(500, 'InternalServerError', `Simulator error: ${String(error)}`));
      else res.destroy();
    }
  }

  async function run(d: Dispatch, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    // Next links are absolute and must carry the listener's host:port, as the client addressed it.
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
    const base = {
      at: new Date(started).toISOString(),
      api: d.api,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      ...(d.vault ? { vault: d.vault.spec.name } : {}),
      ...(d.subscriptionId ? { subscriptionId: d.subscriptionId } : {}),
    };
    const body = await readBody(req);
    const f = faultsFor(d);
    const draw = random();
    let fault: SimRequest['fault'];
    let delay = f.latencyMs + random() * f.jitterMs;
    if (draw < f.resetRate) {
      req.socket.destroy();
      record({ ...base, status: 0, fault: 'reset', durationMs: Date.now() - started });
      return;
    }
    if (random() < f.slowRate) {
      delay += f.slowMs;
      fault = 'slow';
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const response = await decide(d, req, url, body, draw, f, (x) => (fault = x));
    send(res, response);
    record({ ...base, status: response.status, ...(fault ? { fault } : {}), durationMs: Date.now() - started });
  }

  async function decide(
    d: Dispatch,
    req: IncomingMessage,
    url: URL,
    body: unknown,
    draw: number,
    f: FaultKnobs,
    markFault: (f: SimRequest['fault']) => void,
  ): Promise<SimResponse> {
    if (draw < f.resetRate + f.error500Rate + f.error503Rate) {
      markFault('error');
      const is500 = draw < f.resetRate + f.error500Rate;
      return is500
        ? apiError(500, 'InternalServerError', 'Simulated internal server error.')
        : apiError(503, 'ServiceUnavailable', 'Simulated service unavailable.');
    }
    const claims = tokens.verify(req.headers.authorization, d.audiences);
    if (typeof claims === 'string') {
      const r = UNAUTHORIZED[d.api](claims);
      return { ...r, headers: { ...d.challenge } };
    }
    if (d.requiresApiVersion && !url.searchParams.get('api-version')) {
      return d.api === 'arm'
        ? apiError(
            400,
            'MissingApiVersionParameter',
            'The api-version query parameter (?api-version=) is required for all requests.',
          )
        : apiError(400, 'BadParameter', 'The api-version parameter is missing.');
    }
    const method = req.method ?? 'GET';
    const match = matchRoute(d.routes, method, url.pathname);
    if (knobs().throttling.enabled) {
      const wait = buckets.take(d.draws(method, url, match?.route.write ?? method !== 'GET'));
      if (wait > 0) {
        markFault('throttled');
        const headerless = d.api === 'keyvault' && !knobs().throttling.keyVaultRetryAfter;
        return { ...THROTTLED[d.api], headers: headerless ? {} : { 'Retry-After': String(wait) } };
      }
    }
    if (!match) return apiError(404, 'NotFound', `No simulated operation for ${method} ${url.pathname}.`);
    const handled = await match.route.handle(
      {
        method,
        url,
        body,
        claims,
        clientAddress: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        ...(d.vault ? { vault: d.vault } : {}),
      },
      match.params,
    );
    return handled;
  }

  return {
    handle,
    record,
    requestLog: (): readonly SimRequest[] => [...log],
    counters: (): SimCounters => structuredClone(counters),
    reseed: (seed: number) => {
      random = seededRandom(seed);
    },
  };
}
