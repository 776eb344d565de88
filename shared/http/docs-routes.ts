import { z } from 'zod';
import { defineRoute } from './route-spec';

export const swaggerAssets = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'swagger-initializer.js',
  'favicon-32x32.png',
] as const;
export const redocAssets = ['redoc.standalone.js', 'redoc-init.js'] as const;

const page = {
  method: 'GET',
  tag: 'Documentation',
  access: 'anonymous',
  minTier: 'trial',
  rateLimit: 'read',
  kind: 'asset',
  hidden: true,
  responses: { 200: { description: 'The page or asset.' } },
} as const;

/** The live contract, CertifyClouds-style: /openapi.json, Swagger UI at /docs, ReDoc at /redoc. */
export const docsRoutes = {
  getOpenApi: defineRoute({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'Documentation',
    access: 'anonymous',
    minTier: 'trial',
    rateLimit: 'read',
    responses: { 200: { description: 'The OpenAPI document.', schema: z.record(z.string(), z.unknown()) } },
  }),
  getDocs: defineRoute({ ...page, operationId: 'getDocs', path: '/docs', summary: 'Swagger UI' }),
  getDocsAsset: defineRoute({
    ...page,
    operationId: 'getDocsAsset',
    path: '/docs/assets/{file}',
    summary: 'Swagger UI asset',
    params: z.object({ file: z.enum(swaggerAssets) }),
    sample: { params: { file: 'swagger-ui.css' }, status: 200 },
  }),
  getRedoc: defineRoute({ ...page, operationId: 'getRedoc', path: '/redoc', summary: 'ReDoc' }),
  getRedocAsset: defineRoute({
    ...page,
    operationId: 'getRedocAsset',
    path: '/redoc/assets/{file}',
    summary: 'ReDoc asset',
    params: z.object({ file: z.enum(redocAssets) }),
    sample: { params: { file: 'redoc-init.js' }, status: 200 },
  }),
};
