import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { errorSchema } from './error-schema';
import { openApiPath, type RouteSpec } from './route-spec';

type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const error = (description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

/** Error answers the pipeline can give, added from the route's declaration so they are never forgotten. */
function pipelineResponses(route: RouteSpec): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = { 429: error('Rate limited; see Retry-After.') };
  if (route.params || route.query || route.body) responses[400] = error('Invalid input; details name the fields.');
  if (route.body) {
    responses[413] = error('Body too large.');
    responses[415] = error('Body is not application/json.');
  }
  if (route.access !== 'anonymous') responses[401] = error('No identity (no session, no valid API key).');
  if (Array.isArray(route.access) || route.minTier !== 'trial')
    responses[403] = error('Role (forbidden) or tier (tier_required) too low.');
  if (!route.trialExempt) responses[402] = error('Trial expired (trial_expired).');
  return responses;
}

/** Builds the OpenAPI 3.1 document from the route table: the contract cannot drift from the code. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], version: string): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'AppServiceAuthSession',
    description: 'Entra ID sign-in through App Service Authentication (/.auth/login/aad).',
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key created with POST /api/keys: `Authorization: Bearer kw_…`.',
  });
  for (const route of routes) {
    if (route.hidden) continue;
    const responses: Record<number, ResponseConfig> = { ...pipelineResponses(route) };
    for (const [status, spec] of Object.entries(route.responses)) {
      const code = Number(status);
      responses[code] =
        spec.schema !== undefined
          ? { description: spec.description, content: { 'application/json': { schema: spec.schema } } }
          : code >= 400
            ? error(spec.description)
            : { description: spec.description };
    }
    const roles = Array.isArray(route.access) ? ` Roles: ${route.access.join(', ')}.` : '';
    registry.registerPath({
      operationId: route.operationId,
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: openApiPath(route),
      summary: route.summary,
      description: `Access: ${Array.isArray(route.access) ? 'role' : route.access}.${roles} Minimum tier: ${route.minTier}.`,
      tags: [route.tag],
      security: route.access === 'anonymous' ? [] : [{ session: [] }, { apiKey: [] }],
      request: {
        ...(route.params ? { params: route.params as never } : {}),
        ...(route.query ? { query: route.query as never } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Keyward API',
      version,
      description: 'Credential-expiry monitoring for Azure Key Vault and Entra app registrations.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.filter((r) => !r.hidden).map((r) => r.tag))].map((name) => ({
      name,
      description: `${name} operations.`,
    })),
  });
}
