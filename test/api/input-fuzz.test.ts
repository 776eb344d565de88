import { apiRoutes } from '../../shared/http/api-routes';
import type { RouteSpec } from '../../shared/http/route-spec';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { callRoute, sampleParts, type RequestParts } from './route-requests';

/**
 * Malformed, oversized and wrong-type input to every route that takes a body or parameters (and an unknown
 * query parameter to every route). No case is filtered with the app's own schemas: a case is either one no API
 * may accept (malformed or non-JSON bodies, too large, the wrong media type, a body where none is expected, an
 * unknown query parameter), which must get a 4xx, or a junk value that a route could legitimately take, which may
 * be accepted. Either way never a 5xx, a refusal always carries an error code and message, and a refused write
 * changes no table. Cases derive from each route's sample, so new routes are fuzzed without changes here.
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
  /** A request no route may accept, whatever its schema (decided here, not by the app's schemas). */
  readonly mustRefuse?: boolean;
}

function bodyCases(route: RouteSpec, sample: RequestParts): FuzzCase[] {
  const base = { params: sample.params, query: sample.query };
  if (!route.body) return [{ name: 'unexpected body', parts: { ...base, body: { surprise: 1 } }, mustRefuse: true }];
  const refuse = (name: string, parts: RequestParts): FuzzCase => ({ name, parts, mustRefuse: true });
  const cases: FuzzCase[] = [
    refuse('malformed JSON', { ...base, rawBody: '{"name": ' }),
    refuse('oversized body', { ...base, rawBody: JSON.stringify({ pad: 'x'.repeat(MAX_BODY + 10) }) }),
    refuse('text/plain', { ...base, body: sample.body, contentType: 'text/plain' }),
    refuse('deeply nested', { ...base, rawBody: '['.repeat(1000) + ']'.repeat(1000) }),
    refuse('JSON string', { ...base, body: 'hello' }),
    { name: 'empty body', parts: { ...base, rawBody: '' } },
    { name: 'JSON array', parts: { ...base, body: [sample.body] } },
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

const fuzzed = apiRoutes.flatMap((route) => {
  const sample = sampleParts(route);
  const cases: FuzzCase[] = [
    {
      name: 'unknown query parameter',
      parts: { ...sample, query: { ...sample.query, zzUnknown: '1' } },
      mustRefuse: true,
    },
    ...paramCases(route, sample),
    // Bodies (fetch cannot send one with GET): schema violations, or any body where none is expected.
    ...(route.method !== 'GET' ? bodyCases(route, sample) : []),
  ];
  return cases.map((c) => [route.operationId, c.name, route, c] as const);
});
/** How many fuzz requests were refused and accepted (a sanity figure: nearly all should be refused). */
const tally = { refused: 0, accepted: 0 };

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

  it.each(fuzzed)('%s: %s → never a 5xx; a refusal is a clear 4xx that changes nothing', async (_id, _n, route, c) => {
    const writes = route.method !== 'GET';
    const tablesBefore = writes ? await stack.snapshotTables() : null;
    const response = await callRoute(stack.url, route, c.parts, admin);
    const text = await response.text();
    const seen = { status: response.status, body: text.slice(0, 200) };
    expect(seen.status).toBeLessThan(500);
    if (c.mustRefuse || response.status >= 400) {
      expect(seen).toMatchObject({ status: expect.any(Number) as number });
      expect(response.status).toBeGreaterThanOrEqual(400);
      const body = JSON.parse(text) as { error?: unknown; message?: unknown };
      expect(body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      if (tablesBefore) expect(await stack.snapshotTables()).toEqual(tablesBefore);
      tally.refused += 1;
    } else {
      tally.accepted += 1;
    }
  });

  it('refused what no route may accept and left storage as it was when nothing was accepted', async () => {
    expect(tally.refused).toBeGreaterThan(fuzzed.filter(([, , , c]) => c.mustRefuse).length - 1);
    if (tally.accepted === 0) expect(await stack.snapshotTables()).toEqual(before);
    // The pipeline logs every unexpected error as "<operation> failed (request …)"; there must be none.
    expect(stack.host.output()).not.toContain('failed (request');
  });
});
