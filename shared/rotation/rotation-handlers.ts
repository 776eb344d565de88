import { auditActor } from '../auth/auth-audit';
import { ApiError, quotaExceeded } from '../http/http-errors';
import type { GroupHandlers } from '../http/register-routes';
import { tierLimits } from '../license/license-tiers';
import type { Runtime } from '../runtime/runtime';
import { CloudCallError } from './rotation-cloud';
import type { rotationRoutes } from './rotation-routes';
import { RotationInProgress, RotationQuotaSpent } from './rotation-service';

/** Rotation's own refusals as API errors; everything else goes to the pipeline (domain errors, 500). */
async function answering<T>(runtime: Runtime, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RotationInProgress) {
      throw new ApiError(409, { error: 'rotation_in_progress', message: error.message, rotationId: error.rotationId });
    }
    if (error instanceof RotationQuotaSpent) {
      throw quotaExceeded('manualRotations', await runtime.quotas.usage('manualRotations'));
    }
    if (error instanceof CloudCallError) {
      throw new ApiError(502, {
        error: 'upstream_error',
        message: `${error.service === 'keyvault' ? 'Key Vault' : 'Microsoft Graph'} answered ${error.statusCode} ${error.code}.`,
      });
    }
    throw error;
  }
}

export const rotationHandlers: GroupHandlers<typeof rotationRoutes> = {
  discoverRotation: async ({ runtime, identity, ids }) => ({
    status: 200,
    body: await answering(runtime, () =>
      runtime.rotation().service.discover({ actor: auditActor(identity), correlationId: ids.correlationId }),
    ),
  }),
  getRotationInventory: async ({ runtime }) => ({ status: 200, body: await runtime.rotation().service.inventory() }),
  getRotationRecords: async ({ runtime }) => ({ status: 200, body: await runtime.rotation().service.listRecords() }),
  createRotationRecord: async ({ runtime, identity, ids, body }) => {
    if (body.automatic && !tierLimits[runtime.config.tier].automaticRotation) throw automaticNeedsPaidTier();
    return {
      status: 201,
      body: await answering(runtime, () =>
        runtime
          .rotation()
          .service.createRecord(body, { actor: auditActor(identity), correlationId: ids.correlationId }),
      ),
    };
  },
  updateRotationRecord: async ({ runtime, identity, ids, params, body }) => {
    if (body.automatic && !tierLimits[runtime.config.tier].automaticRotation) throw automaticNeedsPaidTier();
    return {
      status: 200,
      body: await runtime
        .rotation()
        .service.updateRecord(params.id, body, { actor: auditActor(identity), correlationId: ids.correlationId }),
    };
  },
  rotateRecord: async ({ runtime, identity, ids, params }) => {
    const { rotationId } = await answering(runtime, () =>
      runtime.rotation().service.requestRotation(params.id, 'manual', {
        actor: auditActor(identity),
        correlationId: ids.correlationId,
      }),
    );
    return { status: 202, body: { rotationId, status: 'queued' } };
  },
  getRotationHistory: async ({ runtime, query }) => {
    const page = await runtime.rotation().service.history(query);
    return { status: 200, body: { ...page, limit: query.limit, offset: query.offset } };
  },
};

function automaticNeedsPaidTier(): ApiError {
  return new ApiError(403, {
    error: 'tier_required',
    message: 'Automatic rotation needs the professional or enterprise tier; the trial rotates on "Rotate now" only.',
    requiredTier: 'professional',
  });
}
