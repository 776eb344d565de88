/**
 * The alert catalogue: every alert type a feature may raise, who raises it, and whether it goes to the tenant's
 * channels (Slack, Teams, PagerDuty, ServiceNow, webhook) by default or only to alert rules that ask for it.
 * Producers import this (not shared/notify), so raising an alert never depends on how it is delivered.
 */
export interface AlertTypeSpec {
  /** The feature that raises it today; null while that feature is not built (rules for it are refused). */
  readonly raisedBy: 'scan' | 'rotation' | 'sync' | 'compliance' | 'b2c' | null;
  /** The feature that will raise it, for the error that refuses a rule of a type nothing raises yet. */
  readonly feature: string;
  /** Sent to every enabled tenant channel (filtered by the channel's severities), not only to matching rules. */
  readonly toChannels: boolean;
}

// CertifyClouds' alert types first, in their order (the API's enum), then the types later features add.
export const alertCatalogue = {
  secret_expiring: { raisedBy: 'scan', feature: 'scans', toChannels: true },
  secret_expired: { raisedBy: 'scan', feature: 'scans', toChannels: true },
  scan_completed: { raisedBy: 'scan', feature: 'scans', toChannels: false },
  vault_error: { raisedBy: 'scan', feature: 'scans', toChannels: false },
  rotation_success: { raisedBy: 'rotation', feature: 'rotation', toChannels: false },
  rotation_failed: { raisedBy: 'rotation', feature: 'rotation', toChannels: true },
  sync_success: { raisedBy: 'sync', feature: 'sync', toChannels: false },
  sync_failed: { raisedBy: 'sync', feature: 'sync', toChannels: true },
  sync_conflict: { raisedBy: 'sync', feature: 'sync', toChannels: true },
  compliance_violation: { raisedBy: 'compliance', feature: 'compliance', toChannels: true },
  b2c_credentials_expiring: { raisedBy: null, feature: 'B2C scanning', toChannels: true },
  rotation_overdue: { raisedBy: 'rotation', feature: 'rotation', toChannels: true },
} as const satisfies Record<string, AlertTypeSpec>;

export type AlertType = keyof typeof alertCatalogue;
export const alertTypes = Object.keys(alertCatalogue) as [AlertType, ...AlertType[]];

/** Alert types some built feature raises: the only ones an alert rule may name. */
export const raisedAlertTypes: readonly AlertType[] = alertTypes.filter((t) => alertCatalogue[t].raisedBy !== null);

/** Severities of raised (non-item) alerts; item alerts carry the item's level instead. */
export const alertSeverities = ['info', 'warning', 'severe', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];
