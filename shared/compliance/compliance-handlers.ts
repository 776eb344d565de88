import { auditActor } from '../auth/auth-audit';
import { badRequest } from '../http/http-errors';
import type { GroupHandlers } from '../http/register-routes';
import { buildEvidencePackage } from './compliance-evidence';
import { ComplianceConditionError } from './compliance-errors';
import type { complianceRoutes } from './compliance-routes';

/** A condition error becomes a 400 whose details name the field and the position (the rule editor shows it there). */
async function conditionErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ComplianceConditionError)) throw error;
    throw badRequest(error.message, [
      { field: 'condition', message: `line ${error.rule.line}, column ${error.rule.column}: ${error.rule.message}` },
    ]);
  }
}

/** The compliance API: reads serve the stored evaluation; changes are audited by the service before they apply. */
export const complianceHandlers: GroupHandlers<typeof complianceRoutes> = {
  getComplianceScore: async ({ runtime }) => ({ status: 200, body: await runtime.compliance().service.score() }),
  listComplianceViolations: async ({ query, runtime }) => ({
    status: 200,
    body: await runtime.compliance().service.listViolations(query),
  }),
  waiveComplianceViolation: async ({ params, body, identity, runtime }) => ({
    status: 200,
    body: await runtime.compliance().service.waive(params.id, body, auditActor(identity)),
  }),
  listComplianceFrameworks: async ({ runtime }) => ({
    status: 200,
    body: await runtime.compliance().service.listFrameworks(),
  }),
  getComplianceFramework: async ({ params, runtime }) => ({
    status: 200,
    body: await runtime.compliance().service.framework(params.id),
  }),
  listComplianceRules: async ({ runtime }) => ({ status: 200, body: await runtime.compliance().service.listRules() }),
  createComplianceRule: async ({ body, identity, runtime }) => ({
    status: 201,
    body: await conditionErrors(() => runtime.compliance().service.createRule(body, auditActor(identity))),
  }),
  testComplianceRule: async ({ body, runtime }) => ({
    status: 200,
    body: await conditionErrors(() => runtime.compliance().service.testRule(body)),
  }),
  updateComplianceRule: async ({ params, body, identity, runtime }) => {
    await conditionErrors(() => runtime.compliance().service.updateRule(params.id, body, auditActor(identity)));
    return { status: 204 };
  },
  deleteComplianceRule: async ({ params, identity, runtime }) => {
    await runtime.compliance().service.deleteRule(params.id, auditActor(identity));
    return { status: 204 };
  },
  getComplianceEvidencePackage: async ({ query, identity, runtime }) => {
    const { deps, service } = runtime.compliance();
    return {
      status: 200,
      body: await buildEvidencePackage(deps, service, { format: query.format, actor: auditActor(identity) }),
    };
  },
};
