import { authHandlers } from '../../shared/auth/auth-handlers';
import { authRoutes } from '../../shared/auth/auth-routes';
import { registerRoutes } from '../../shared/http/register-routes';

registerRoutes(authRoutes, authHandlers);
