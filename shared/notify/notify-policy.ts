import type { Thresholds } from '../inventory/severity';
import type { ActiveChannel } from './delivery-planner';
import type { StoredRule } from './notify-config-store';
import type { RoutingConfig } from './notify-routing';
import type { ReminderPolicy } from './reminder-engine';

/** The notification settings in force for one evaluation. */
export interface NotifyPolicy extends ReminderPolicy {
  readonly thresholds: Thresholds;
  readonly routing: RoutingConfig;
  readonly channels: readonly ActiveChannel[];
  readonly rules: readonly StoredRule[];
}
