import type { ContainerClient } from '@azure/storage-blob';
import type { AuditAppender } from '../auth/auth-audit';
import type { AuditService } from '../audit/audit-service';
import type { PublishEvent } from '../events/event-publisher';
import type { InventoryStore } from '../inventory/inventory-store';
import type { EstateStore } from '../scan/estate-store';
import type { PostureStore } from '../scan/posture-store';
import type { Clock } from '../time/clock';
import type { EvaluationLeases } from './compliance-lease';
import type { ComplianceStore } from './compliance-store';
import type { EvidenceManifest, UnsignedEvidenceManifest } from './verify/evidence-manifest';

export interface ComplianceLog {
  info(message: string): void;
  warn(message: string): void;
}

/** What the compliance feature uses, built once per process by compliance-runtime.ts. */
export interface ComplianceDeps {
  readonly clock: Clock;
  /** Real elapsed time, for the rules' time budgets (a test clock must not stop them). */
  readonly wallMs: () => number;
  readonly store: ComplianceStore;
  /** One evaluation per tenant at a time (compliance-lease.ts). */
  readonly leases: Pick<EvaluationLeases, 'acquire'>;
  readonly inventory: Pick<InventoryStore, 'listAll'>;
  readonly estate: Pick<EstateStore, 'listVaults' | 'listSubscriptions'>;
  readonly posture: Pick<PostureStore, 'readAll'>;
  readonly publish: PublishEvent;
  /** Rule, parameter and waiver changes are audited before they are applied. */
  readonly audit: AuditAppender;
  /** The audit trail: its head and latest signed checkpoint tie an evidence package to the chain. */
  readonly auditService: () => Promise<Pick<AuditService, 'stats' | 'listCheckpoints'>>;
  /**
   * The `audit-exports` container (created if missing): evidence packages are stored beside audit exports, never
   * overwritten, so a package can be fetched again by the blob names its response and audit entry carry.
   */
  readonly evidenceContainer: () => Promise<ContainerClient>;
  /** Signs an evidence manifest the way audit exports are signed (one call site: compliance-runtime.ts). */
  readonly signManifest: (unsigned: UnsignedEvidenceManifest) => Promise<EvidenceManifest>;
  readonly tenant: { readonly id: string; readonly name: string };
  /** Wall time one rule may spend per evaluation after a scan, per test request, and on any one resource. */
  readonly ruleBudgetMs: { readonly scan: number; readonly test: number; readonly item: number };
  readonly log: ComplianceLog;
}
