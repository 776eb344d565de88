import type { Identity } from '../../shared/auth/auth-roles';
import { AuditExportTooLargeError, AuditInputError } from '../../shared/audit/audit-errors';
import { AUDIT_EXPORTS_CONTAINER } from '../../shared/audit/audit-export';
import { auditRoutes } from '../../shared/audit/audit-routes';
import { auditService } from '../../shared/audit/audit-runtime';
import type { AuditActor } from '../../shared/audit/audit-types';
import { ApiError, badRequest } from '../../shared/http/http-errors';
import { registerRoutes } from '../../shared/http/register-routes';

/** The audit actor for a caller: an API key by its id, a user by principal id and display name. */
function actorOf(identity: Identity | null): AuditActor {
  if (!identity) throw new Error('Identity missing on an authenticated route');
  const name = identity.userName ?? identity.userEmail ?? '';
  return { type: identity.authType === 'apiKey' ? 'apiKey' : 'user', id: identity.userId, name };
}

/** Maps the audit service's caller errors to their statuses; anything else stays a 500. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuditInputError) throw badRequest(error.message);
    if (error instanceof AuditExportTooLargeError) {
      throw new ApiError(413, { error: 'export_too_large', message: error.message });
    }
    throw error;
  }
}

registerRoutes(auditRoutes, {
  listAudit: async ({ query, runtime }) => ({
    status: 200,
    body: await answering(async () => (await auditService(runtime)).list(query)),
  }),
  getAuditStats: async ({ runtime }) => ({ status: 200, body: await (await auditService(runtime)).stats() }),
  exportAudit: async ({ query, identity, ids, runtime }) => {
    const result = await answering(async () =>
      (await auditService(runtime)).exportTrail({
        ...query,
        actor: actorOf(identity),
        correlationId: ids.correlationId,
      }),
    );
    return {
      status: 200,
      body: {
        manifest: result.manifest,
        csv: result.csv.toString('utf8'),
        ...(result.pdf ? { pdfBase64: Buffer.from(result.pdf).toString('base64') } : {}),
        blobs: { container: AUDIT_EXPORTS_CONTAINER, ...result.blobs },
      },
    };
  },
});
