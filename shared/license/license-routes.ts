import { defineRoute } from '../http/route-spec';
import { licenseSchema } from './license-schemas';

const license = {
  summary: 'License tier, trial status, limits and features',
  tag: 'System',
  method: 'GET',
  access: 'authenticated',
  minTier: 'trial',
  rateLimit: 'read',
  trialExempt: true,
  responses: { 200: { description: 'The current license.', schema: licenseSchema } },
} as const;

/** Keyed by operation id; functions/ binds one handler per key. */
export const licenseRoutes = {
  getLicense: defineRoute({ ...license, operationId: 'getLicense', path: '/api/license' }),
  getSystemLicense: defineRoute({ ...license, operationId: 'getSystemLicense', path: '/api/system/license' }),
};
