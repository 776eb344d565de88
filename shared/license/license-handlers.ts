import type { GroupHandlers } from '../http/register-routes';
import type { Runtime } from '../runtime/runtime';
import type { licenseRoutes } from './license-routes';
import { tierLimits } from './license-tiers';

/** The licence status plus the tier's rotation entitlements and the usage of its quotas. */
async function licenseBody(runtime: Runtime) {
  const status = await runtime.license.status();
  return {
    ...status,
    automaticRotation: tierLimits[status.tier].automaticRotation,
    quotas: { manualRotations: await runtime.quotas.usage('manualRotations') },
  };
}

/** The licence in force and its usage. */
export const licenseHandlers: GroupHandlers<typeof licenseRoutes> = {
  getLicense: async ({ runtime }) => ({ status: 200, body: await licenseBody(runtime) }),
  getSystemLicense: async ({ runtime }) => ({ status: 200, body: await licenseBody(runtime) }),
};
