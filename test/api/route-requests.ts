import type { RouteSpec } from '../../shared/http/route-spec';

export interface RequestParts {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** A JSON value (serialized) or raw text/bytes sent as they are. */
  readonly body?: unknown;
  readonly rawBody?: string | Buffer;
  readonly contentType?: string;
}

/** The URL path of a route with its parameters filled in (encoded). */
export function routeUrl(base: string, route: RouteSpec, parts: RequestParts): string {
  const path = route.path.replace(/\{\*?(\w+)\}/g, (_match, name: string) => {
    const value = parts.params?.[name];
    if (value === undefined) throw new Error(`${route.operationId}: no value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(parts.query ?? {}).toString();
  return `${base}${path}${query ? `?${query}` : ''}`;
}

/**
 * The valid request for a route: its declared sample. A route with parameters or a body must declare one,
 * so a route added later is covered by the matrix and the fuzz test without touching them.
 */
export function sampleParts(route: RouteSpec): RequestParts {
  if ((route.params || route.body) && !route.sample) {
    throw new Error(`${route.operationId} has params or a body: declare a sample request in its route spec`);
  }
  return { params: route.sample?.params, query: route.sample?.query, body: route.sample?.body };
}

/** Sends a request for `route`; `headers` carry the identity under test. */
export async function callRoute(
  base: string,
  route: RouteSpec,
  parts: RequestParts,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method: route.method, headers: { ...headers }, redirect: 'manual' };
  if (parts.rawBody !== undefined) {
    init.body = parts.rawBody;
    (init.headers as Record<string, string>)['content-type'] = parts.contentType ?? 'application/json';
  } else if (parts.body !== undefined) {
    init.body = JSON.stringify(parts.body);
    (init.headers as Record<string, string>)['content-type'] = parts.contentType ?? 'application/json';
  }
  return fetch(routeUrl(base, route, parts), init);
}
