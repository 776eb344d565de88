import { apiRoutes } from '../../shared/http/api-routes';
import { contentTypeOf, readAsset, redocPage, swaggerPage } from '../../shared/http/docs-assets';
import { docsRoutes } from '../../shared/http/docs-routes';
import { buildOpenApiDocument } from '../../shared/http/openapi-document';
import { registerRoutes } from '../../shared/http/register-routes';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

registerRoutes(docsRoutes, {
  // Built on first request, not at start-up: most cold starts never serve the docs.
  getOpenApi: async ({ runtime }) => ({
    status: 200,
    body: (document ??= buildOpenApiDocument(apiRoutes, runtime.config.version)),
  }),
  getDocs: async () => ({ status: 200, body: swaggerPage, contentType: contentTypeOf('page.html') }),
  getRedoc: async () => ({ status: 200, body: redocPage, contentType: contentTypeOf('page.html') }),
  getDocsAsset: async ({ params }) => ({
    status: 200,
    body: await readAsset(params.file),
    contentType: contentTypeOf(params.file),
  }),
  getRedocAsset: async ({ params }) => ({
    status: 200,
    body: await readAsset(params.file),
    contentType: contentTypeOf(params.file),
  }),
});
