import { auditActor } from '../../shared/auth/auth-audit';
import { readAppSetting } from '../../shared/config/app-settings';
import { queueList } from '../../shared/config/queues';
import { topicList } from '../../shared/config/topics';
import { healthRoutes } from '../../shared/health/health-routes';
import { registerRoutes } from '../../shared/http/register-routes';
import { licenseRoutes } from '../../shared/license/license-routes';
import type { Runtime } from '../../shared/runtime/runtime';
import { replayDeadLetters } from '../../shared/system/dead-letter-replay';
import { deadLetterRoutes } from '../../shared/system/dead-letter-routes';
import { createDeadLetterService } from '../../shared/system/dead-letter-service';

/** "configured" when the app uses a managed identity (a client id or identity-based connections). */
function identityState(runtime: Runtime): 'configured' | 'not_configured' {
  const env = runtime.env;
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
      identity: identityState(runtime),
      checks: report.checks,
    },
  };
};

registerRoutes(healthRoutes, {
  getHealth: health,
  getHealthRoot: health,
  getVersion: async ({ runtime }) => ({ status: 200, body: { version: runtime.config.version } }),
});

registerRoutes(licenseRoutes, {
  getLicense: async ({ runtime }) => ({ status: 200, body: await runtime.license.status() }),
  getSystemLicense: async ({ runtime }) => ({ status: 200, body: await runtime.license.status() }),
});

/** The dead-letter service over every declared queue and topic (a few closures: built per call, nothing cached). */
const deadLetters = (runtime: Runtime) =>
  createDeadLetterService({ serviceBus: runtime.serviceBus, queues: queueList, topics: topicList });

registerRoutes(deadLetterRoutes, {
  listDeadLetters: async ({ runtime }) => ({ status: 200, body: await deadLetters(runtime).list() }),
  replayDeadLetters: async ({ params, query, body, identity, ids, runtime }) => ({
    status: 200,
    body: await replayDeadLetters(
      { deadLetters: deadLetters(runtime), audit: await runtime.audit() },
      { queue: params.queue, subscription: query.subscription, max: body.max },
      { actor: auditActor(identity), correlationId: ids.correlationId },
    ),
  }),
});
