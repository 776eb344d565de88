import { app } from '@azure/functions';
import type { z } from 'zod';
import { runtime as processRuntime, type Runtime } from '../runtime/runtime';
import { createRouteHandler, type RouteHandler } from './route-handler';
import { functionRoute, type RouteSpec } from './route-spec';

type Spec = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** One handler per route of a group, typed by the route's schemas; a missing handler does not compile. */
export type GroupHandlers<G extends Record<string, Spec>> = {
  [K in keyof G]: G[K] extends RouteSpec<infer P, infer Q, infer B> ? RouteHandler<P, Q, B> : never;
};

export interface RegisteredRoute {
  readonly route: Spec;
  readonly handler: RouteHandler<z.ZodType, z.ZodType, z.ZodType>;
}

const registered = new Map<string, RegisteredRoute>();

/**
 * Registers one `app.http` function per route (so Azure shows per-route names and metrics), each wrapped in
 * the pipeline. Routes are `authLevel: 'anonymous'` for the Functions host: identity is the pipeline's job.
 */
export function registerRoutes<G extends Record<string, Spec>>(
  group: G,
  handlers: GroupHandlers<G>,
  runtime: () => Runtime = processRuntime,
): void {
  for (const key of Object.keys(group) as (keyof G & string)[]) {
    const route = group[key] as Spec;
    const handler = handlers[key] as RouteHandler<z.ZodType, z.ZodType, z.ZodType>;
    if (registered.has(route.operationId)) throw new Error(`Route ${route.operationId} registered twice`);
    registered.set(route.operationId, { route, handler });
    app.http(route.operationId, {
      methods: [route.method],
      authLevel: 'anonymous',
      route: functionRoute(route),
      handler: createRouteHandler(route, handler, runtime),
    });
  }
}

/** What registerRoutes has seen, for tests that drive handlers in-process. */
export function registeredRoutes(): ReadonlyMap<string, RegisteredRoute> {
  return registered;
}

/** Fails start-up if a route in the table has no registered handler (a feature forgot to bind it). */
export function assertAllRoutesRegistered(routes: readonly RouteSpec[]): void {
  const missing = routes.filter((route) => !registered.has(route.operationId)).map((r) => r.operationId);
  if (missing.length > 0) throw new Error(`Routes without a handler: ${missing.join(', ')}`);
}
