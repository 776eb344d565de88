import { registerRoutes } from '../../shared/http/register-routes';
import { alertRoutes } from '../../shared/notify/alert-routes';
import { alertHandlers, notifyHandlers } from '../../shared/notify/notify-handlers';
import { notifyRoutes } from '../../shared/notify/notify-routes';

registerRoutes(notifyRoutes, notifyHandlers);
registerRoutes(alertRoutes, alertHandlers);
