import { auditRoutes } from '../audit/audit-routes';
import { authRoutes } from '../auth/auth-routes';
import { complianceRoutes } from '../compliance/compliance-routes';
import { healthRoutes } from '../health/health-routes';
import { licenseRoutes } from '../license/license-routes';
import { alertRoutes } from '../notify/alert-routes';
import { notifyRoutes } from '../notify/notify-routes';
import { portabilityRoutes } from '../portability/portability-routes';
import { rotationRoutes } from '../rotation/rotation-routes';
import { scanRoutes } from '../scan/scan-routes';
import { syncRoutes } from '../sync/sync-routes';
import { deadLetterRoutes } from '../system/dead-letter-routes';
import { webRoutes } from '../web/web-routes';
import { docsRoutes } from './docs-routes';
import type { RouteSpec } from './route-spec';

/**
 * Every endpoint of Keyward. A feature declares its routes in its own `<feature>-routes.ts` (an object keyed
 * by operation id) and adds one line here; registration, OpenAPI and the authorization matrix read this list.
 */
export const routeGroups = {
  docsRoutes,
  healthRoutes,
  licenseRoutes,
  authRoutes,
  scanRoutes,
  webRoutes,
  auditRoutes,
  notifyRoutes,
  alertRoutes,
  portabilityRoutes,
  deadLetterRoutes,
  complianceRoutes,
  rotationRoutes,
  syncRoutes,
} as const;

export const apiRoutes: readonly RouteSpec[] = Object.values(routeGroups).flatMap(
  (group): RouteSpec[] => Object.values(group) as RouteSpec[],
);
