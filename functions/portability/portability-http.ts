import { auditService } from '../../shared/audit/audit-runtime';
import { auditActor } from '../../shared/auth/auth-audit';
import { registerRoutes } from '../../shared/http/register-routes';
import { notifyServices } from '../../shared/notify/notify-runtime';
import { portabilityRoutes } from '../../shared/portability/portability-routes';
import { createPortabilityService } from '../../shared/portability/portability-service';
import type { Runtime } from '../../shared/runtime/runtime';

const service = async (runtime: Runtime) =>
  createPortabilityService({
    settings: runtime.settings,
    settingsStore: runtime.settingsStore,
    notify: notifyServices(runtime),
    env: runtime.env,
    clock: runtime.clock,
    audit: await auditService(runtime),
  });

registerRoutes(portabilityRoutes, {
  exportConfig: async ({ identity, ids, runtime }) => ({
    status: 200,
    body: await (
      await service(runtime)
    ).exportConfig({ actor: auditActor(identity), correlationId: ids.correlationId }),
  }),
  importConfig: async ({ body, identity, ids, runtime }) => ({
    status: 200,
    body: await (
      await service(runtime)
    ).importConfig(body, { actor: auditActor(identity), correlationId: ids.correlationId }),
  }),
});
