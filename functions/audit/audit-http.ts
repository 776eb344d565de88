import { auditHandlers } from '../../shared/audit/audit-handlers';
import { auditRoutes } from '../../shared/audit/audit-routes';
import { registerRoutes } from '../../shared/http/register-routes';

registerRoutes(auditRoutes, auditHandlers);
