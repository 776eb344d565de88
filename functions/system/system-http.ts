import { healthHandlers } from '../../shared/health/health-handlers';
import { healthRoutes } from '../../shared/health/health-routes';
import { registerRoutes } from '../../shared/http/register-routes';
import { licenseHandlers } from '../../shared/license/license-handlers';
import { licenseRoutes } from '../../shared/license/license-routes';
import { deadLetterHandlers } from '../../shared/system/dead-letter-handlers';
import { deadLetterRoutes } from '../../shared/system/dead-letter-routes';

registerRoutes(healthRoutes, healthHandlers);
registerRoutes(licenseRoutes, licenseHandlers);
registerRoutes(deadLetterRoutes, deadLetterHandlers);
