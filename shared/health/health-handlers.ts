import { readAppSetting } from '../config/app-settings';
import type { GroupHandlers } from '../http/register-routes';
import type { Runtime } from '../runtime/runtime';
import type { healthRoutes } from './health-routes';

/** "configured" when the app uses a managed identity (a client id or identity-based connections). */
function identityState(env: NodeJS.ProcessEnv): 'configured' | 'not_configured' {
  const identityBased =
    readAppSetting('AZURE_CLIENT_ID', env) ||
    readAppSetting('AzureWebJobsStorage__accountName', env) ||
    readAppSetting('ServiceBusConnection__fullyQualifiedNamespace', env);
  return identityBased ? 'configured' : 'not_configured';
}

const health = async ({ runtime }: { runtime: Runtime }) => {
  const report = await runtime.health.check();
  return {
    status: report.status === 'healthy' ? 200 : 503,
    body: {
      status: report.status,
      version: runtime.config.version,
      tier: runtime.config.tier,
      identity: identityState(runtime.env),
      checks: report.checks,
    },
  };
};

/** Health (anonymous, from a short cache) and the app version. */
export const healthHandlers: GroupHandlers<typeof healthRoutes> = {
  getHealth: health,
  getHealthRoot: health,
  getVersion: async ({ runtime }) => ({ status: 200, body: { version: runtime.config.version } }),
};
