import { registerRoutes } from '../../shared/http/register-routes';
import { rotationHandlers } from '../../shared/rotation/rotation-handlers';
import { rotationRoutes } from '../../shared/rotation/rotation-routes';

registerRoutes(rotationRoutes, rotationHandlers);
