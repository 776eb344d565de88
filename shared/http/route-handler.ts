import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import type { Identity } from '../auth/auth-roles';
import type { Runtime } from '../runtime/runtime';
import { ApiError, forbidden, internalError, quotaExceeded, tooManyRequests, unauthorized } from './http-errors';
import { parseRouteInput, type RouteInput } from './request-input';
import { requestIds, type RequestIds } from './request-ids';
import { refuseCrossSite } from './cross-site-guard';
import { clientAddress } from './client-address';
import type { RouteSpec } from './route-spec';
import { withCorrelation } from '../runtime/correlation';
import { DomainError, type DomainErrorKind } from '../runtime/domain-errors';
import { apiSecurityHeaders, docsSecurityHeaders } from './security-headers';

/** What a handler returns: a declared status and a body its response schema accepts. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** For `asset` routes only: the content type of a string/Buffer body. */
  readonly contentType?: string;
}

export interface HandlerInput<P, Q, B> extends RouteInput<P, Q, B> {
  /** Null only on anonymous routes. */
  readonly identity: Identity | null;
  readonly ids: RequestIds;
  readonly runtime: Runtime;
  readonly request: HttpRequest;
  readonly context: InvocationContext;
}

export type RouteHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = (
  input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>,
) => Promise<RouteResult>;

/**
 * Before identity is known, an address stands for every caller behind it (an office NAT, a proxy): it gets this
 * many callers' worth of a route class's limit. On anonymous routes the address is the caller: one's worth.
 */
export const ADDRESS_LIMIT_FACTOR = 10;

/** Throws 429 when `caller` is over the route's rate-limit class (times `factor`). */
function limit(runtime: Runtime, caller: string, route: RouteSpec, factor = 1): void {
  const decision = runtime.rateLimiter.take(caller, route.rateLimit, factor);
  if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
}

/**
 * Order of checks: rate limit by client address (429), before anything costs a lookup (a flood of made-up API
 * keys would otherwise cost a table read each) → identity (401) → cross-site request to a route that writes (403 cross_site_request) → trial lock (402) → role (403 forbidden) → tier (403 tier_required) → quota (403 quota_exceeded) →
 * rate limit per identity (429) → input (413/415/400) → handler → response allow-list. A route declared anonymous skips
 * the identity and role checks and nothing else.
 */
async function gate(route: RouteSpec, request: HttpRequest, runtime: Runtime): Promise<Identity | null> {
  const address = clientAddress(request, runtime.config.trustForwardedFor === true);
  limit(runtime, `address:${address}`, route, route.access === 'anonymous' ? 1 : ADDRESS_LIMIT_FACTOR);
  const identity = route.access === 'anonymous' ? null : await runtime.identity.resolve(request);
  if (route.access !== 'anonymous' && !identity) throw unauthorized();
  refuseCrossSite(route, request, identity);
  if (route.trialExempt) {
    // The trial starts at the app's first run, whichever route, timer or worker runs first; asking the licence
    // records the start. An exempt route (health, the export) must keep answering even if that record fails.
    await runtime.license.trialExpired().catch(() => false);
  } else if (await runtime.license.trialExpired()) {
    throw new ApiError(402, {
      error: 'trial_expired',
      message: 'Your 14-day trial has expired. Subscribe to a paid plan to continue.',
      licenseUrl: runtime.config.licenseUrl,
    });
  }
  if (Array.isArray(route.access) && !route.access.some((role) => identity?.roles.includes(role))) {
    throw forbidden();
  }
  if (!runtime.license.allows(route.minTier)) {
    throw new ApiError(403, {
      error: 'tier_required',
      message: `This operation needs the ${route.minTier} tier.`,
      requiredTier: route.minTier,
    });
  }
  if (route.quota) {
    // The handler spends the unit (insert-if-absent, so a race for the last one has one winner); this refuses early.
    const usage = await runtime.quotas.usage(route.quota);
    if (usage.limit !== null && usage.used >= usage.limit) throw quotaExceeded(route.quota, usage);
  }
  // Signed-in callers also have their own budget, so one user cannot use up a shared address's (a NAT's).
  if (identity) limit(runtime, `identity:${identity.userId}`, route);
  return identity;
}

function shape(route: RouteSpec, result: RouteResult): HttpResponseInit {
  const spec = route.responses[result.status];
  if (!spec) throw new Error(`${route.operationId} answered undeclared status ${result.status}`);
  if (route.kind === 'asset') {
    return {
      status: result.status,
      headers: {
        ...docsSecurityHeaders,
        'content-type': result.contentType ?? 'application/octet-stream',
        ...result.headers,
      },
      body: result.body as string | Buffer | undefined,
    };
  }
  // The schema is an allow-list: fields it does not name are stripped, a wrong shape is our bug (500).
  const jsonBody = spec.schema ? spec.schema.parse(result.body) : undefined;
  return { status: result.status, headers: { ...result.headers }, ...(jsonBody === undefined ? {} : { jsonBody }) };
}

const domainStatus: Record<DomainErrorKind, { status: number; error: string }> = {
  invalid: { status: 400, error: 'invalid_request' },
  notFound: { status: 404, error: 'not_found' },
  conflict: { status: 409, error: 'conflict' },
  tooLarge: { status: 413, error: 'payload_too_large' },
};

/** The one translation of a feature's domain errors into HTTP statuses (their messages are written for callers). */
function toApiError(error: DomainError): ApiError {
  const { status, error: code } = domainStatus[error.kind];
  return new ApiError(status, { error: error.code ?? code, message: error.message });
}

/** Wraps a handler in the pipeline every Keyward route goes through. */
export function createRouteHandler<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteSpec<P, Q, B>,
  handler: RouteHandler<P, Q, B>,
  runtime: () => Runtime,
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (request, context) => {
    const ids = requestIds(request.headers.get('x-correlation-id'));
    // Everything the handler causes (logs, audit entries, queue messages, deliveries) carries this request's id.
    return withCorrelation(ids.correlationId, () => respond(request, context, ids));
  };

  async function respond(request: HttpRequest, context: InvocationContext, ids: RequestIds): Promise<HttpResponseInit> {
    let response: HttpResponseInit;
    try {
      const services = runtime();
      const identity = await gate(route, request, services);
      const input = await parseRouteInput(route, request, services.config.maxBodyBytes);
      const result = await handler({
        ...(input as RouteInput<z.output<P>, z.output<Q>, z.output<B>>),
        identity,
        ids,
        runtime: services,
        request,
        context,
      });
      response = shape(route, result);
    } catch (thrown) {
      const error = thrown instanceof DomainError ? toApiError(thrown) : thrown;
      const failure = error instanceof ApiError ? error : internalError(ids.requestId);
      if (!(error instanceof ApiError)) {
        // Logged once, here, with ids; never the request body or headers, which may hold keys.
        context.error(
          `${route.operationId} failed (request ${ids.requestId}, correlation ${ids.correlationId})`,
          error,
        );
      }
      response = { status: failure.status, headers: { ...failure.headers }, jsonBody: failure.body };
    }
    const base = route.kind === 'asset' && (response.status ?? 200) < 400 ? {} : apiSecurityHeaders;
    response.headers = {
      ...base,
      ...(response.headers as Record<string, string>),
      'x-request-id': ids.requestId,
      'x-correlation-id': ids.correlationId,
    };
    return response;
  }
}
