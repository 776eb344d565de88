import { apiRoutes, routeGroups } from './api-routes';
import { successStatus } from './route-spec';

describe('route table', () => {
  it('has unique operation ids, keyed by operation id in each group', () => {
    const ids = apiRoutes.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const group of Object.values(routeGroups)) {
      for (const [key, route] of Object.entries(group))
        expect((route as { operationId: string }).operationId).toBe(key);
    }
  });

  it('has one route per method and path', () => {
    const keys = apiRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(apiRoutes.map((route) => [route.operationId, route] as const))(
    '%s declares a valid sample request when it takes params or a body',
    (_id, route) => {
      if (route.params || route.body) expect(route.sample).toBeDefined();
      if (route.params) expect(route.params.safeParse(route.sample?.params).success).toBe(true);
      if (route.body) expect(route.body.safeParse(route.sample?.body).success).toBe(true);
      if (route.query && route.sample?.query) expect(route.query.safeParse(route.sample.query).success).toBe(true);
      const status = successStatus(route);
      expect(status < 400 ? route.responses[status] : true).toBeDefined();
    },
  );
});
