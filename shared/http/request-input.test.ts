import { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { ApiError } from './http-errors';
import { parseRouteInput } from './request-input';
import { defineRoute } from './route-spec';

const route = defineRoute({
  operationId: 'item',
  method: 'GET',
  path: '/api/items/{id}',
  summary: 'Item',
  tag: 'Test',
  access: 'authenticated',
  minTier: 'trial',
  rateLimit: 'read',
  params: z.object({ id: z.string() }),
  query: z.object({ limit: z.coerce.number().int().max(100).optional() }),
  responses: { 200: { description: 'ok' } },
});

async function failure(id: string, query = ''): Promise<ApiError> {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost/api/items/x${query}`, params: { id } });
  const error = await parseRouteInput(route, request, 1000).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error('expected an ApiError');
  return error;
}

describe('parseRouteInput', () => {
  it('refuses decoded separators and control characters in a path segment even when the schema allows any string', async () => {
    for (const id of ['a/b', 'a\\b', 'a#b', 'a?b', 'a\u0000b']) {
      const error = await failure(id);
      expect(error.status).toBe(400);
      expect(error.body.details).toEqual([{ field: 'params.id', message: expect.any(String) }]);
    }
  });

  it('refuses unknown query parameters although the schema is not strict, and coerces known ones', async () => {
    expect((await failure('ok', '?limt=5')).body.details).toEqual([
      { field: 'query.limt', message: expect.any(String) },
    ]);
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/items/ok?limit=5',
      params: { id: 'ok' },
    });
    expect(await parseRouteInput(route, request, 1000)).toEqual({
      params: { id: 'ok' },
      query: { limit: 5 },
      body: undefined,
    });
  });
});

describe('request body limit', () => {
  const bodyRoute = defineRoute({
    ...route,
    method: 'POST',
    params: undefined,
    query: undefined,
    body: z.object({ name: z.string() }),
  });

  /** A request whose body arrives in 1 KiB chunks and counts how many the reader pulled. */
  function streamingRequest(chunks: number) {
    const state = { pulled: 0, cancelled: false };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.pulled += 1;
        if (state.pulled > chunks) controller.close();
        else controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const request = {
      params: {},
      query: new URLSearchParams(),
      // No Content-Length: a chunked upload declares nothing the limit could be checked against up front.
      headers: new Headers({ 'content-type': 'application/json' }),
      body,
      arrayBuffer: async () => new Response(body).arrayBuffer(),
    };
    return { state, request: request as unknown as HttpRequest };
  }

  it('stops reading at the limit instead of buffering the whole body', async () => {
    const { state, request } = streamingRequest(1000);
    const error = await parseRouteInput(bodyRoute, request, 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(4);
    expect(state.cancelled).toBe(true);
  });

  it('reads a body under the limit whole', async () => {
    const { request } = streamingRequest(1);
    // 1 KiB of spaces is not JSON: the point is that it was read and parsed, not refused as too large.
    await expect(parseRouteInput(bodyRoute, request, 2000)).rejects.toMatchObject({ status: 400 });
  });
});
