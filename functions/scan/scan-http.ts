import { registerRoutes } from '../../shared/http/register-routes';
import { scanHandlers } from '../../shared/scan/scan-handlers';
import { scanRoutes } from '../../shared/scan/scan-routes';

registerRoutes(scanRoutes, scanHandlers);
