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
