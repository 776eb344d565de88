import { defineRoute } from '../http/route-spec';
import { healthSchema, versionSchema } from './health-schemas';

const healthResponses = {
  200: { description: 'Every dependency is reachable.', schema: healthSchema },
  503: { description: 'At least one dependency is unreachable.', schema: healthSchema },
};

const health = {
  summary: 'Health of the app and its dependencies',
  tag: 'System',
  method: 'GET',
  access: 'anonymous',
  minTier: 'trial',
  rateLimit: 'read',
  trialExempt: true,
  responses: healthResponses,
  sample: { status: 200 },
} as const;

/** Keyed by operation id; functions/ binds one handler per key. */
export const healthRoutes = {
  getHealth: defineRoute({ ...health, operationId: 'getHealth', path: '/api/health' }),
  getHealthRoot: defineRoute({ ...health, operationId: 'getHealthRoot', path: '/health' }),
  getVersion: defineRoute({
    operationId: 'getVersion',
    method: 'GET',
    path: '/api/system/version',
    summary: 'Running version',
    tag: 'System',
    access: 'authenticated',
    minTier: 'trial',
    rateLimit: 'read',
    responses: { 200: { description: 'The running version.', schema: versionSchema } },
  }),
};
