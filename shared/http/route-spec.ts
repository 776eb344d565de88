import type { z } from 'zod';
import type { Role } from '../auth/auth-roles';
import type { QuotaName } from '../license/license-quota';
import type { Tier } from '../license/license-tiers';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Rate-limit buckets; the limits per class are app settings (see shared/http/rate-limits.ts). */
export type RateLimitClass = 'read' | 'write' | 'expensive';

/**
 * Who may call a route: nobody needs to be signed in (`anonymous`), any resolved identity even without a
 * role (`authenticated`), or one of the listed roles.
 */
export type Access = 'anonymous' | 'authenticated' | readonly Role[];

export interface ResponseSpec {
  readonly description: string;
  /** JSON body schema; responses are parsed through it before sending, so it is an allow-list. */
  readonly schema?: z.ZodType;
}

/** A valid request for the authorization matrix and the fuzz test, and the status an allowed caller gets. */
export interface RouteSample {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly status: number;
}

/** One endpoint, declared once: registration, OpenAPI, the pipeline and the tests all read this. */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path with `{name}` parameters, e.g. `/api/keys/{id}`; `{*name}` is a catch-all (static assets only). */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly minTier: Tier;
  /** A counted allowance of the tier the route spends (checked with the tier: 403 quota_exceeded when used up). */
  readonly quota?: QuotaName;
  readonly rateLimit: RateLimitClass;
  /** Still answers after the trial expires (health, license, me, export), as VaultGuard360 documents. */
  readonly trialExempt?: boolean;
  /**
   * A GET that changes state (the audit export writes blobs and an audit entry; its seed path stays GET). The
   * pipeline refuses it cross-site like every non-GET route (shared/http/cross-site-guard.ts).
   */
  readonly writes?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** `json` (default) parses the response through its schema; `asset` serves files (docs pages). */
  readonly kind?: 'json' | 'asset';
  /** Left out of the OpenAPI document (static assets). */
  readonly hidden?: boolean;
  readonly sample?: RouteSample;
}

/** Declares a route, keeping the zod types of its params, query and body for the handler. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}

/** The status an allowed caller gets for the route's sample request (first 2xx if no sample says). */
export function successStatus(route: RouteSpec): number {
  if (route.sample) return route.sample.status;
  const ok = Object.keys(route.responses)
    .map(Number)
    .find((status) => status >= 200 && status < 400);
  return ok ?? 200;
}

/** The Functions route template: no leading slash, because host.json sets routePrefix to "". */
export function functionRoute(route: RouteSpec): string {
  return route.path.replace(/^\//, '');
}

/** The OpenAPI path: catch-all `{*name}` becomes `{name}`. */
export function openApiPath(route: RouteSpec): string {
  return route.path.replace(/\{\*/g, '{');
}
