import type { AuditAppender } from '../auth/auth-audit';
import type { CloudClients } from '../cloud/cloud-clients';
import type { ExpiryIndex } from '../inventory/expiry-index';
import type { InventoryStore } from '../inventory/inventory-store';
import type { SummaryStore } from '../inventory/inventory-summary';
import type { Thresholds } from '../inventory/severity';
import type { PublishEvent } from '../events/event-publisher';
import type { OutboundMessage } from '../runtime/message-sender';
import type { Clock } from '../time/clock';
import type { SubscriptionGrants } from '../license/license-ledger';
import type { EstateStore } from './estate-store';
import type { PostureStore } from './posture-store';
import type { BudgetRule, RequestBudget } from './request-budget';
import type { RetryOptions } from './scan-retry';
import type { ScanStore } from './scan-store';

export type ScanQueue = 'scanPlan' | 'scanVault';

export interface ScanBudgetRules {
  readonly perVault: BudgetRule;
  readonly perSubscription: BudgetRule;
  readonly armPerSubscription: BudgetRule;
  readonly graph: BudgetRule;
}

export interface ScanLimits {
  readonly subscriptionLimit: number | null;
  readonly itemLimit: number | null;
  /** Subscriptions the licence ever included: the subscription limit counts them across scans (shared/license). */
  readonly estate?: SubscriptionGrants;
}

export interface ScanLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Everything the scan's workers need, built once per process by the composition root (scan-runtime.ts). */
export interface ScanDeps {
  /** Domain time: scan timestamps, severity. */
  readonly clock: Clock;
  /** Real elapsed time for waiting (budget windows, Retry-After); separate so a test clock never stalls a wait. */
  readonly wallMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly scans: ScanStore;
  readonly estate: EstateStore;
  readonly inventory: InventoryStore;
  readonly index: ExpiryIndex;
  readonly summary: SummaryStore;
  readonly cloud: CloudClients;
  readonly budget: RequestBudget;
  readonly rules: ScanBudgetRules;
  readonly send: (queue: ScanQueue, messages: readonly OutboundMessage[]) => Promise<void>;
  /** Domain events (scan.completed, scan.vaultFailed) to their topic; consumers subscribe, the scan knows none. */
  readonly publish: PublishEvent;
  readonly thresholds: () => Promise<Thresholds>;
  readonly limits: () => Promise<ScanLimits>;
  /** Vaults one process lists at once. */
  readonly vaultConcurrency: number;
  readonly deltaMaxAgeHours: number;
  /** Read certificate issuer/subject and key type/size of new versions (one metadata GET each). */
  readonly itemDetails: boolean;
  readonly log: ScanLog;
  /** The audit trail: scans started, completed and failed, and vaults that could not be read. */
  readonly audit: AuditAppender;
  /** Vault, key, subscription and app posture for the compliance rules (shared/scan/vault-posture.ts); off when absent. */
  readonly posture?: PostureStore;
  /** Credential keyId → the rotation record that rotates it, so app-credential items show their coverage. */
  readonly rotationCoverage?: () => Promise<ReadonlyMap<string, string>>;
}

export function retryOptions(deps: Pick<ScanDeps, 'sleep' | 'wallMs'>, attempts = 8): RetryOptions {
  return { attempts, sleep: deps.sleep, nowMs: deps.wallMs };
}
