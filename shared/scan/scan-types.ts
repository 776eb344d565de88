import type { Severity } from '../inventory/severity';
import type { UnitOutcome } from './scan-progress';

export const scanModes = ['full', 'delta', 'force'] as const;
/** full: every vault; delta: only vaults without a recent successful scan; force: full, even while a scan runs. */
export type ScanMode = (typeof scanModes)[number];
export type ScanTrigger = 'schedule' | 'manual' | 'discovery';
/** `failed`: the plan could not list the estate on its last delivery (the error code is on the record). */
export type ScanStatus = 'running' | 'completed' | 'failed';

export interface SkippedSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
}

/** One scan, as `/api/scans` and the discovery API show it. */
export interface ScanRecord {
  readonly scanId: string;
  readonly status: ScanStatus;
  readonly mode: ScanMode;
  readonly trigger: ScanTrigger;
  readonly correlationId: string;
  /** Subscriptions the caller asked for; null means all. */
  readonly subscriptionsFilter: readonly string[] | null;
  readonly startedAt: string;
  readonly completedAt: string | null;
  readonly durationSeconds: number | null;
  readonly subscriptionsFound: number;
  readonly subscriptionsScanned: number;
  /** Left out by the tier's subscription limit. */
  readonly subscriptionsSkipped: readonly SkippedSubscription[];
  readonly vaultsFound: number;
  /** Vaults a delta scan carried over from earlier scans without listing them. */
  readonly vaultsCarriedOver: number;
  readonly itemsScanned: number;
  /** Items left out by the tier's item limit. */
  readonly itemsLeftOut: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly outcomes: Readonly<Record<UnitOutcome, number>>;
  readonly errorCode?: string | null;
}

/** The work of a scan: one message per vault, one for the tenant's app registrations. */
export interface VaultUnit {
  readonly kind: 'vault';
  readonly scanId: string;
  readonly unitKey: string;
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly vaultName: string;
  readonly vaultId: string;
  readonly vaultUri: string;
  readonly resourceGroup: string;
  readonly vaultTags: Readonly<Record<string, string>>;
  /** ARM shows public access disabled or a default-deny network rule: a data-plane 403 is the firewall. */
  readonly networkRestricted: boolean;
  /** No scan has recorded this vault yet, so its inventory partition is empty and is not read first. */
  readonly neverScanned: boolean;
}

export interface DirectoryUnit {
  readonly kind: 'directory';
  readonly scanId: string;
  readonly unitKey: string;
  readonly tenantId: string;
}

export type ScanUnit = VaultUnit | DirectoryUnit;

/** What a unit recorded when it finished; kept per scan for the discovery API and permission status. */
export interface UnitResult {
  readonly unitKey: string;
  readonly kind: ScanUnit['kind'];
  readonly outcome: UnitOutcome;
  readonly items: number;
  readonly removed: number;
  readonly subscriptionId: string | null;
  readonly vaultName: string | null;
  /** Item kinds the identity could not list (forbidden), e.g. ["certificates"]. */
  readonly deniedKinds: readonly string[];
  /** Azure error code of a failure (never its message, which can carry request details). */
  readonly errorCode: string | null;
  /** 429 answers seen while scanning the unit. */
  readonly throttledResponses: number;
  readonly requests: number;
  readonly finishedAt: string;
}
