import type { Severity } from './severity';

/** Severities `/api/expiring-items` lists (kept free of SDK imports: route schemas load it at cold start). */
export const expiringSeverities = ['warning', 'severe', 'critical', 'expired'] as const satisfies readonly Severity[];
export type ExpiringSeverity = (typeof expiringSeverities)[number];

export function isExpiring(severity: Severity): severity is ExpiringSeverity {
  return (expiringSeverities as readonly string[]).includes(severity);
}
