import { auditActor } from '../auth/auth-audit';
import type { GroupHandlers } from '../http/register-routes';
import type { syncRoutes } from './sync-routes';

/**
 * HTTP handlers of the sync endpoints: each calls one service method; the service module loads on first request.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const service = (): typeof import('./sync-service') => require('./sync-service');

export const syncHandlers: GroupHandlers<typeof syncRoutes> = {
  listSyncConfigs: async ({ runtime }) => ({
    status: 200,
    body: { configs: await service().createSyncService(runtime.sync()).list() },
  }),
  createSyncConfig: async ({ runtime, identity, body }) => ({
    status: 201,
    body: await service().createSyncService(runtime.sync()).create(auditActor(identity), body),
  }),
  updateSyncConfig: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await service().createSyncService(runtime.sync()).update(auditActor(identity), params.id, body),
  }),
  deleteSyncConfig: async ({ runtime, identity, params }) => {
    await service().createSyncService(runtime.sync()).remove(auditActor(identity), params.id);
    return { status: 204 };
  },
  dryRunSyncConfig: async ({ runtime, params }) => ({
    status: 200,
    body: await service().createSyncService(runtime.sync()).dryRun(params.id),
  }),
  testSyncConfig: async ({ runtime, params }) => ({
    status: 200,
    body: await service().createSyncService(runtime.sync()).testConnection(params.id),
  }),
  syncConfigNow: async ({ runtime, params }) => ({
    status: 202,
    body: { queued: await service().createSyncService(runtime.sync()).syncConfig(params.id) },
  }),
  listSyncRecords: async ({ runtime, query }) => ({
    status: 200,
    body: { records: await service().createSyncService(runtime.sync()).records(query) },
  }),
  syncRecordNow: async ({ runtime, params }) => ({
    status: 202,
    body: { queued: await service().createSyncService(runtime.sync()).syncRecord(params.id), recordId: params.id },
  }),
  resolveSyncConflict: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await service()
      .createSyncService(runtime.sync())
      .resolveConflict(auditActor(identity), params.id, body.decision),
  }),
  listSyncHistory: async ({ runtime, query }) => ({
    status: 200,
    body: { entries: await service().createSyncService(runtime.sync()).history(query) },
  }),
};
