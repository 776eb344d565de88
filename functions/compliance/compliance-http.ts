import { complianceHandlers } from '../../shared/compliance/compliance-handlers';
import { complianceRoutes } from '../../shared/compliance/compliance-routes';
import { registerRoutes } from '../../shared/http/register-routes';

registerRoutes(complianceRoutes, complianceHandlers);
