import { registerRoutes } from '../../shared/http/register-routes';
import { portabilityHandlers } from '../../shared/portability/portability-handlers';
import { portabilityRoutes } from '../../shared/portability/portability-routes';

registerRoutes(portabilityRoutes, portabilityHandlers);
