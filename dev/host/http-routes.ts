/**
 * ASP.NET-style route templates as Functions uses them: literal segments (case-insensitive), `{id}`,
 * `{id:int}`, optional `{id?}` and catch-all `{*path}`. Routes are tried most specific first, so
 * `items/new` beats `items/{id}`, which beats `{*path}`.
 */

type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string; readonly constraint?: string; readonly optional: boolean }
  | { readonly kind: 'catchAll'; readonly name: string };

export interface CompiledRoute<T> {
  readonly template: string;
  /** Upper-case methods; empty means every method. */
  readonly methods: readonly string[];
  readonly target: T;
  readonly segments: readonly Segment[];
}

export type RouteMatch<T> =
  | { readonly kind: 'match'; readonly route: CompiledRoute<T>; readonly params: Record<string, string> }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly string[] }
  | { readonly kind: 'notFound' };

const PARAM = /^\{(\*{1,2})?([A-Za-z_][\w]*)(?::([^}?=]+))?(\?)?\}$/;

export function compileRoute<T>(template: string, methods: readonly string[], target: T): CompiledRoute<T> {
  const segments = splitPath(template).map((text): Segment => {
    if (!text.includes('{')) return { kind: 'literal', text: text.toLowerCase() };
    const match = PARAM.exec(text);
    if (!match?.[2]) throw new Error(`Route "${template}": segment "${text}" is not supported by the local host.`);
    if (match[1]) return { kind: 'catchAll', name: match[2] };
    return { kind: 'param', name: match[2], constraint: match[3], optional: match[4] === '?' };
  });
  const catchAll = segments.findIndex((s) => s.kind === 'catchAll');
  if (catchAll >= 0 && catchAll !== segments.length - 1) {
    throw new Error(`Route "${template}": a catch-all parameter must be the last segment.`);
  }
  return { template, methods: methods.map((m) => m.toUpperCase()), target, segments };
}

/** Orders routes most specific first: literal < constrained < plain < optional < catch-all, per segment. */
export function sortRoutes<T>(routes: readonly CompiledRoute<T>[]): CompiledRoute<T>[] {
  return [...routes].sort((a, b) => {
    const length = Math.max(a.segments.length, b.segments.length);
    for (let i = 0; i < length; i++) {
      const diff = rank(a.segments[i]) - rank(b.segments[i]);
      if (diff !== 0) return diff;
    }
    return 0;
  });
}

export function matchRoute<T>(routes: readonly CompiledRoute<T>[], method: string, path: string): RouteMatch<T> {
  const parts = splitPath(path).map(safeDecode);
  const allow = new Set<string>();
  for (const route of routes) {
    const params = matchSegments(route.segments, parts);
    if (!params) continue;
    if (route.methods.length === 0 || route.methods.includes(method.toUpperCase())) {
      return { kind: 'match', route, params };
    }
    route.methods.forEach((m) => allow.add(m));
  }
  return allow.size > 0 ? { kind: 'methodNotAllowed', allow: [...allow] } : { kind: 'notFound' };
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (segment.kind === 'catchAll') {
      params[segment.name] = parts.slice(i).join('/');
      return params;
    }
    if (part === undefined) {
      // Only trailing optional parameters may be missing.
      return segments.slice(i).every((s) => s.kind === 'param' && s.optional) ? params : null;
    }
    if (segment.kind === 'literal') {
      if (part.toLowerCase() !== segment.text) return null;
    } else {
      if (!satisfies(segment.constraint, part)) return null;
      params[segment.name] = part;
    }
  }
  return parts.length === segments.length ? params : null;
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  alpha: /^[a-z]+$/i,
  double: /^-?\d+(\.\d+)?$/,
  float: /^-?\d+(\.\d+)?$/,
  decimal: /^-?\d+(\.\d+)?$/,
};

function satisfies(constraint: string | undefined, value: string): boolean {
  if (!constraint) return true;
  return constraint.split(':').every((name) => CONSTRAINTS[name.toLowerCase()]?.test(value) ?? true);
}

function rank(segment: Segment | undefined): number {
  if (!segment) return -1;
  if (segment.kind === 'literal') return 0;
  if (segment.kind === 'catchAll') return 4;
  if (segment.optional) return 3;
  return segment.constraint ? 1 : 2;
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
