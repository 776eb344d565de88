import { parseEvent } from '../events/event-consumer';
import type { ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { appLog } from '../runtime/app-log';
import { evaluateScan } from './compliance-evaluator';
import type { ComplianceServices } from './compliance-runtime';

type Properties = Readonly<Record<string, unknown>>;

/** The `compliance` subscription of scan-events: evaluate after each completed scan (other scan events ignored). */
export async function onScanEventForCompliance(
  services: Pick<ComplianceServices, 'deps'>,
  raw: unknown,
  license: ScheduledWorkGuard,
  metadata?: Properties,
): Promise<void> {
  const props = (metadata?.applicationProperties as Properties | undefined) ?? {};
  const event = parseEvent(raw, ['scan.completed'], 'compliance', props);
  // After the trial nothing is evaluated; the message completes (the next scan after a purchase evaluates).
  if (!event || !(await license.allows())) return;
  const { evaluated } = await evaluateScan(services.deps, event.data);
  if (!evaluated) appLog.info(`compliance: scan ${event.data.scanId} skipped (a newer scan was already evaluated)`);
}
