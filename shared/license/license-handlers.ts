import type { GroupHandlers } from '../http/register-routes';
import type { licenseRoutes } from './license-routes';

/** The licence in force and its usage. */
export const licenseHandlers: GroupHandlers<typeof licenseRoutes> = {
  getLicense: async ({ runtime }) => ({ status: 200, body: await runtime.license.status() }),
  getSystemLicense: async ({ runtime }) => ({ status: 200, body: await runtime.license.status() }),
};
