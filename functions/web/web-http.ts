import { join } from 'node:path';
import { readEasyAuthTrust } from '../../shared/auth/easyauth-trust';
import { registerRoutes } from '../../shared/http/register-routes';
import { serveDashboard } from '../../shared/web/dashboard-handler';
import { createStaticAssets } from '../../shared/web/static-assets';
import { webRoutes } from '../../shared/web/web-routes';

// dist/functions/web → dist/web, where `vite build` writes the dashboard.
const assets = createStaticAssets(join(__dirname, '..', '..', 'web'));
// The same attestation the API's identity resolver requires (read once: the platform sets it at start).
const trust = readEasyAuthTrust(process.env);

registerRoutes(webRoutes, {
  getDashboard: async ({ request }) => serveDashboard(request, assets, trust),
});
