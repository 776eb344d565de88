import { auditActor } from '../auth/auth-audit';
import type { GroupHandlers } from '../http/register-routes';
import { AUDIT_EXPORTS_CONTAINER } from './audit-export';
import type { auditRoutes } from './audit-routes';

/** The audit API: list, stats and the signed export (its errors are domain errors the pipeline maps). */
export const auditHandlers: GroupHandlers<typeof auditRoutes> = {
  listAudit: async ({ query, runtime }) => ({
    status: 200,
    body: await (await runtime.audit()).list(query),
  }),
  getAuditStats: async ({ runtime }) => ({ status: 200, body: await (await runtime.audit()).stats() }),
  getAuditPublicKey: async ({ query, runtime }) => ({
    status: 200,
    body: await (await runtime.audit()).publicKey(query.version),
  }),
  exportAudit: async ({ query, identity, ids, runtime }) => {
    const result = await (
      await runtime.audit()
    ).exportTrail({ ...query, actor: auditActor(identity), correlationId: ids.correlationId });
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
};
