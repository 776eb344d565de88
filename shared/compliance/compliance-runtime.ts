import type { AuditAppender } from '../auth/auth-audit';
import type { ContainerClient } from '@azure/storage-blob';
import { auditExportsContainer } from '../audit/audit-runtime';
import type { AuditService } from '../audit/audit-service';
import { readAppSetting } from '../config/app-settings';
import type { PublishEvent } from '../events/event-publisher';
import { createInventoryStore, INVENTORY_TABLE } from '../inventory/inventory-store';
import { appLog } from '../runtime/app-log';
import type { StorageClients } from '../runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../scan/estate-store';
import { createPostureStore, POSTURE_TABLE } from '../scan/posture-store';
import type { Clock } from '../time/clock';
import type { ComplianceDeps } from './compliance-deps';
import { createEvaluationLeases } from './compliance-lease';
import { createComplianceService, type ComplianceService } from './compliance-service';
import {
  COMPLIANCE_RULES_TABLE,
  COMPLIANCE_STATE_TABLE,
  COMPLIANCE_VIOLATIONS_TABLE,
  createComplianceStore,
} from './compliance-store';
import type { EvidenceManifest } from './verify/evidence-manifest';

/**
 * Wall time one rule may spend: per evaluation after a scan (the whole estate; bench:compliance measures a custom
 * rule over 100k items at ~0.7 s on a 2-core machine), per test request (the dashboard's live preview), and on any
 * one resource. A hostile custom rule stops at these, its remaining resources "not evaluated"; the worker goes on.
 */
const RULE_BUDGET_MS = { scan: 30_000, test: 2_000, item: 50 };

/** What the compliance feature is built from; the composition root (shared/runtime/runtime.ts) supplies it once. */
export interface ComplianceWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly storage: () => StorageClients;
  readonly publish: PublishEvent;
  readonly audit: AuditAppender;
  readonly auditService: () => Promise<AuditService>;
}

export interface ComplianceServices {
  readonly deps: ComplianceDeps;
  readonly service: ComplianceService;
}

export function createComplianceServices(wiring: ComplianceWiring): ComplianceServices {
  const table = (name: string) => () => wiring.storage().table(name);
  const tenantId = readAppSetting('AZURE_TENANT_ID', wiring.env) || 'local';
  // Created once per process (idempotent), retried after a failure; the audit feature creates it too.
  let container: Promise<ContainerClient> | undefined;
  const evidenceContainer = (): Promise<ContainerClient> => {
    container ??= (async () => {
      const client = auditExportsContainer(wiring.env, wiring.storage());
      await client.createIfNotExists();
      return client;
    })().catch((error: unknown) => {
      container = undefined;
      throw error;
    });
    return container;
  };
  const deps: ComplianceDeps = {
    clock: wiring.clock,
    wallMs: () => performance.now(),
    store: createComplianceStore({
      rules: table(COMPLIANCE_RULES_TABLE),
      violations: table(COMPLIANCE_VIOLATIONS_TABLE),
      state: table(COMPLIANCE_STATE_TABLE),
    }),
    leases: createEvaluationLeases(table(COMPLIANCE_STATE_TABLE)),
    inventory: createInventoryStore(table(INVENTORY_TABLE)),
    estate: createEstateStore(table(SUBSCRIPTIONS_TABLE), table(VAULTS_TABLE)),
    posture: createPostureStore(table(POSTURE_TABLE)),
    publish: wiring.publish,
    audit: wiring.audit,
    auditService: wiring.auditService,
    evidenceContainer,
    // The one place an evidence manifest is signed: the audit feature's manifest signing, with the audit key.
    signManifest: async (unsigned) => (await wiring.auditService()).signDocument<EvidenceManifest>(unsigned),
    tenant: { id: tenantId, name: `Azure tenant ${tenantId}` },
    ruleBudgetMs: RULE_BUDGET_MS,
    log: appLog,
  };
  return { deps, service: createComplianceService(deps) };
}
