import { z } from 'zod';
import { apiRoutes } from '../../shared/http/api-routes';
import type { RouteSpec } from '../../shared/http/route-spec';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { callRoute, sampleParts, type RequestParts } from './route-requests';

/**
 * Malformed, oversized and wrong-type input to every route that takes a body or parameters (and an unknown
 * query parameter to every route): always a 4xx with an error code and message, never a 5xx, and storage is
 * exactly as it was. Cases derive from each route's sample, so new routes are fuzzed without changes here.
 */
const MAX_BODY = 4096;
const junkValues: readonly unknown[] = [null, 12345, -1.5, true, [], {}, 'x'.repeat(5000), '\u0000\ud800', ['a']];
const junkParams: readonly string[] = [
  '%',
  '...',
  'a/b',
  ' ',
  'x'.repeat(300),
  '<script>',
  "' or 1 eq 1",
  '\u00e9\u0000',
];

interface FuzzCase {
  readonly name: string;
  readonly parts: RequestParts;
}

function bodyCases(route: RouteSpec, sample: RequestParts): FuzzCase[] {
  const base = { params: sample.params, query: sample.query };
  if (!route.body) return [{ name: 'unexpected body', parts: { ...base, body: { surprise: 1 } } }];
  const cases: FuzzCase[] = [
    { name: 'malformed JSON', parts: { ...base, rawBody: '{"name": ' } },
    { name: 'empty body', parts: { ...base, rawBody: '' } },
    { name: 'oversized body', parts: { ...base, rawBody: JSON.stringify({ pad: 'x'.repeat(MAX_BODY + 10) }) } },
    { name: 'text/plain', parts: { ...base, body: sample.body, contentType: 'text/plain' } },
    { name: 'deeply nested', parts: { ...base, rawBody: '['.repeat(1000) + ']'.repeat(1000) } },
    { name: 'JSON array', parts: { ...base, body: [sample.body] } },
    { name: 'JSON string', parts: { ...base, body: 'hello' } },
    { name: 'unknown field', parts: { ...base, body: { ...(sample.body as object), extra: 'x' } } },
    { name: '__proto__ field', parts: { ...base, rawBody: '{"__proto__": {"role": "admin"}}' } },
  ];
  for (const field of Object.keys((sample.body ?? {}) as object)) {
    for (const value of junkValues) {
      cases.push({
        name: `body.${field} = ${JSON.stringify(value)?.slice(0, 20)}`,
        parts: { ...base, body: { ...(sample.body as object), [field]: value } },
      });
    }
    const { [field]: _dropped, ...without } = sample.body as Record<string, unknown>;
    cases.push({ name: `body.${field} missing`, parts: { ...base, body: without } });
  }
  return cases;
}

/** Catch-all parameters (`{*path}`, a page route's fallback) accept any path by design and are not fuzzed. */
function paramCases(route: RouteSpec, sample: RequestParts): FuzzCase[] {
  const catchAll = new Set([...route.path.matchAll(/\{\*(\w+)\}/g)].map((match) => match[1]));
  return Object.keys(sample.params ?? {})
    .filter((name) => !catchAll.has(name))
    .flatMap((name) =>
      junkParams.map((value) => ({
        name: `params.${name} = ${JSON.stringify(value).slice(0, 20)}`,
        parts: { ...sample, params: { ...sample.params, [name]: value } },
      })),
    );
}

/**
 * Keeps only requests that really are invalid: a junk value the route's schema happens to accept (a boolean
 * replaced by `true`, an optional field left out) is a valid request, not a fuzz case. Bodies that are not
 * JSON, too large or of the wrong media type are always invalid.
 */
function isInvalid(route: RouteSpec, parts: RequestParts): boolean {
  if (parts.contentType && parts.contentType !== 'application/json') return true;
  let body: unknown = parts.body;
  if (parts.rawBody !== undefined) {
    if (parts.rawBody.length > MAX_BODY) return true;
    try {
      body = JSON.parse(parts.rawBody.toString());
    } catch {
      return true;
    }
  }
  if (body !== undefined && !route.body) return true;
  const checks: [unknown, unknown][] = [
    [route.params, parts.params ?? {}],
    // The pipeline refuses unknown query parameters on every route, with or without a query schema.
    [(route.query instanceof z.ZodObject ? route.query : z.object({})).strict(), parts.query ?? {}],
    [route.body, body],
  ];
  return checks.some(([schema, value]) => schema instanceof z.ZodType && !schema.safeParse(value).success);
}

const fuzzed = apiRoutes.flatMap((route) => {
  const sample = sampleParts(route);
  const cases: FuzzCase[] = [
    { name: 'unknown query parameter', parts: { ...sample, query: { ...sample.query, zzUnknown: '1' } } },
    ...paramCases(route, sample),
    // Bodies (fetch cannot send one with GET): schema violations, or any body where none is expected.
    ...(route.method !== 'GET' ? bodyCases(route, sample) : []),
  ];
  return cases
    .filter((c) => isInvalid(route, c.parts))
    .map((c) => [route.operationId, c.name, route, c.parts] as const);
});

describe('input fuzzing through the host', () => {
  let stack: KeywardStack;
  let admin: Record<string, string>;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    stack = await startKeywardStack({
      env: {
        KEYWARD_MAX_BODY_BYTES: String(MAX_BODY),
        KEYWARD_RATE_LIMIT_READ: '100000',
        KEYWARD_RATE_LIMIT_WRITE: '100000',
      },
    });
    admin = { cookie: await stack.signIn({ email: 'admin@example.com', roles: ['admin'] }) };
    // Warm up: the first request records the trial start, which is legitimate state, not a fuzz effect.
    expect((await fetch(`${stack.url}/api/license`, { headers: admin })).status).toBe(200);
    before = await stack.snapshotTables();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(fuzzed)('%s: %s → 4xx with a clear error', async (_id, _name, route, parts) => {
    const response = await callRoute(stack.url, route, parts, admin);
    const text = await response.text();
    expect({ status: response.status, body: text.slice(0, 200) }).toMatchObject({
      status: expect.any(Number) as number,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    expect(body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('left storage exactly as it was', async () => {
    expect(await stack.snapshotTables()).toEqual(before);
    // The pipeline logs every unexpected error as "<operation> failed (request …)"; there must be none.
    expect(stack.host.output()).not.toContain('failed (request');
  });
});
