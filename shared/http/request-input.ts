import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { ApiError, badRequest, payloadTooLarge, type ErrorDetail } from './http-errors';
import type { RouteSpec } from './route-spec';

/** The parsed, validated input a handler receives. */
export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

const emptyObject = z.object({}).strict();

function details(where: string, error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [where, ...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    const message = keys.length > 1 ? `Unrecognized keys: ${keys.join(', ')}` : issue.message;
    return { field: path, message };
  });
}

function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(`Invalid ${where}.`, details(where, parsed.error));
  return parsed.data;
}

/**
 * Reads the body as bytes, refusing (413) anything above `maxBytes` whatever Content-Length claims. It reads the
 * stream chunk by chunk and stops at the limit, so an oversized body is never held in memory whole.
 */
export async function readBody(request: Pick<HttpRequest, 'headers' | 'body'>, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) throw payloadTooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Validates params, query and body against the route's schemas. Unknown query parameters are rejected
 * (400), like unknown body fields: a typo such as `?limt=5` should fail loudly rather than be ignored.
 * A route without a body schema refuses any body.
 */
/**
 * A `{name}` parameter is one path segment. Hosts decode `%2F` and friends before routing, so a value could
 * still carry `/`, `\\`, `#`, `?` or control characters, none of which any Keyward id contains and all of which
 * Table Storage keys forbid: refuse them for every route, whatever its schema allows.
 */
function checkSegments(route: RouteSpec, params: Readonly<Record<string, string>>): void {
  const problems = Object.entries(params)
    .filter(([name]) => !route.path.includes(`{*${name}}`))
    .filter(([, value]) => /[/\\#?\u0000-\u001f\u007f]/.test(value))
    .map(([name]) => ({
      field: `params.${name}`,
      message: 'Must be a single path segment without control characters',
    }));
  if (problems.length > 0) throw badRequest('Invalid params.', problems);
}

export async function parseRouteInput(
  route: RouteSpec,
  request: HttpRequest,
  maxBodyBytes: number,
): Promise<RouteInput<unknown, unknown, unknown>> {
  checkSegments(route, request.params);
  const params = check(route.params ?? z.object({}), request.params, 'params');
  // Unknown query parameters are refused for every route, whether or not its schema says .strict().
  const querySchema = route.query instanceof z.ZodObject ? route.query.strict() : (route.query ?? emptyObject);
  const query = check(querySchema, Object.fromEntries(request.query.entries()), 'query');
  const raw = await readBody(request, maxBodyBytes);
  if (!route.body) {
    if (raw.length > 0) throw badRequest('This operation takes no request body.');
    return { params, query, body: undefined };
  }
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError(415, { error: 'unsupported_media_type', message: 'Send the body as application/json.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('The body is not valid JSON.', [{ field: 'body', message: 'Malformed JSON' }]);
  }
  return { params, query, body: check(route.body, json, 'body') };
}
