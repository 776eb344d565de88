import { compileRoute, matchRoute, sortRoutes } from './http-routes';

const routes = sortRoutes([
  compileRoute('{*rest}', ['GET'], 'fallback'),
  compileRoute('api/items/{id}', ['GET', 'PUT'], 'item'),
  compileRoute('api/items/{id:int}/history', ['GET'], 'history'),
  compileRoute('api/items/new', ['GET'], 'new'),
  compileRoute('api/opt/{name?}', [], 'optional'),
  compileRoute('api/files/{*path}', ['GET'], 'files'),
]);

function target(method: string, path: string): string {
  const match = matchRoute(routes, method, path);
  return match.kind === 'match' ? match.route.target : match.kind;
}

describe('route templates', () => {
  it('picks literal over parameter over catch-all, whatever the registration order', () => {
    expect(target('GET', '/api/items/new')).toBe('new');
    expect(target('GET', '/api/items/7')).toBe('item');
    expect(target('GET', '/api/anything/else')).toBe('fallback');
  });

  it('matches literals case-insensitively and decodes parameters', () => {
    const match = matchRoute(routes, 'GET', '/API/Items/a%20b');
    expect(match).toMatchObject({ kind: 'match', params: { id: 'a b' } });
  });

  it('applies constraints: a non-int id falls through to the catch-all', () => {
    expect(target('GET', '/api/items/5/history')).toBe('history');
    expect(target('GET', '/api/items/x/history')).toBe('fallback');
  });

  it('treats a missing trailing optional parameter as absent', () => {
    expect(matchRoute(routes, 'DELETE', '/api/opt')).toMatchObject({ kind: 'match', params: {} });
    expect(matchRoute(routes, 'DELETE', '/api/opt/x')).toMatchObject({ kind: 'match', params: { name: 'x' } });
    // Too many segments for `opt/{name?}`; only the GET catch-all matches, so DELETE is not allowed.
    expect(target('DELETE', '/api/opt/x/y')).toBe('methodNotAllowed');
    expect(target('PATCH', '/nothing/here/at/all')).toBe('methodNotAllowed');
  });

  it('gives catch-alls the rest of the path, possibly empty', () => {
    expect(matchRoute(routes, 'GET', '/api/files/a/b/c.txt')).toMatchObject({ params: { path: 'a/b/c.txt' } });
    expect(matchRoute(routes, 'GET', '/api/files')).toMatchObject({ params: { path: '' } });
  });

  it('reports 405 with the allowed methods when only the method differs', () => {
    expect(matchRoute(routes, 'POST', '/api/items/7')).toEqual({ kind: 'methodNotAllowed', allow: ['GET', 'PUT'] });
  });

  it('reports notFound when no template matches the path', () => {
    const withoutCatchAll = routes.filter((route) => route.target !== 'fallback');
    expect(matchRoute(withoutCatchAll, 'GET', '/api/nothing')).toEqual({ kind: 'notFound' });
  });

  it('rejects templates it cannot serve faithfully', () => {
    expect(() => compileRoute('files/{name}.{ext}', [], 'x')).toThrow(/not supported/);
    expect(() => compileRoute('{*rest}/tail', [], 'x')).toThrow(/last segment/);
  });
});
