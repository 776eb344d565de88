import { registerRoutes } from '../../shared/http/register-routes';
import { syncHandlers } from '../../shared/sync/sync-handlers';
import { syncRoutes } from '../../shared/sync/sync-routes';

registerRoutes(syncRoutes, syncHandlers);
