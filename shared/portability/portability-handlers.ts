import { auditActor } from '../auth/auth-audit';
import type { GroupHandlers } from '../http/register-routes';
import type { Runtime } from '../runtime/runtime';
import type { portabilityRoutes } from './portability-routes';
import { createPortabilityService } from './portability-service';

const service = async (runtime: Runtime) =>
  createPortabilityService({
    settings: runtime.settings,
    settingsStore: runtime.settingsStore,
    notify: runtime.notify(),
    env: runtime.env,
    clock: runtime.clock,
    audit: await runtime.audit(),
  });

/** Configuration export and import (without secrets), audited. */
export const portabilityHandlers: GroupHandlers<typeof portabilityRoutes> = {
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
};
