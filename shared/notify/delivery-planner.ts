import { createHash } from 'node:crypto';
import { alertCatalogue, type AlertSeverity } from '../events/alert-catalogue';
import type { AlertRaised } from '../events/event-catalog';
import type { DigestEntry } from './digest-store';
import { routeItem, type RoutedTeam, type RoutingConfig } from './notify-routing';
import type { StoredRule } from './notify-config-store';
import type {
  AlertType,
  AlertingSeverity,
  ChannelType,
  DeliveryMessage,
  Destination,
  NotifyEvent,
  WebhookChannelType,
} from './notify-schemas';

/** A tenant channel that is switched on, with the levels it wants (PagerDuty: severe and worse by default). */
export interface ActiveChannel {
  readonly channelType: WebhookChannelType;
  readonly severities?: readonly AlertingSeverity[];
}

export interface PlanInput {
  readonly scanId: string;
  readonly now: Date;
  /** The trigger's correlation id, carried by every delivery. */
  readonly correlationId?: string;
  readonly events: readonly NotifyEvent[];
  readonly routing: RoutingConfig;
  readonly channels: readonly ActiveChannel[];
  readonly rules: readonly StoredRule[];
  /** Scan-level alerts (scan_completed, vault_error), planned like any raised alert. */
  readonly alerts?: readonly AlertRaised[];
}

/** What one raised alert is planned against: the routing, channels and rules in force. */
export type AlertPlanInput = Pick<PlanInput, 'scanId' | 'now' | 'correlationId' | 'routing' | 'channels' | 'rules'>;

const PAGERDUTY_DEFAULT: readonly AlertingSeverity[] = ['severe', 'critical', 'expired'];

/**
 * The delivery key (and Service Bus messageId): channel + destination + the sorted event keys (item + level +
 * reminder window), hashed to fit the 128-character messageId. Same notifications → same key, however often
 * the evaluation runs.
 */
export function deliveryKey(channel: ChannelType, destination: Destination, eventKeys: readonly string[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([channel, destination, [...eventKeys].sort()]))
    .digest('hex');
  return `nd-${channel}-${hash.slice(0, 48)}`;
}

/** A message's type: expired when every item in it expired, else expiring. */
function alertTypeOf(events: readonly NotifyEvent[]): AlertType {
  return events.length > 0 && events.every((e) => e.alertType === 'secret_expired')
    ? 'secret_expired'
    : 'secret_expiring';
}

interface Group {
  channel: ChannelType;
  destination: Destination;
  teamName: string;
  events: NotifyEvent[];
}

/**
 * Turns one scan's notification events into delivery messages, one per channel and destination:
 * routed team email (tag > subscription > * > default), the team route's own webhook, each enabled tenant
 * channel per team, PagerDuty per item and level (its dedup unit), and each enabled alert rule (digest rules'
 * events come back separately, to be collected). Pure.
 */
export function planDeliveries(input: PlanInput): { messages: DeliveryMessage[]; digests: DigestEntry[] } {
  const groups = new Map<string, Group>();
  const digests: DigestEntry[] = [];
  const add = (channel: ChannelType, destination: Destination, teamName: string, event: NotifyEvent): void => {
    const id = JSON.stringify([channel, destination, teamName]);
    const group = groups.get(id) ?? { channel, destination, teamName, events: [] };
    group.events.push(event);
    groups.set(id, group);
  };
  const routed = new Map<string, RoutedTeam>();
  const teamOf = (event: NotifyEvent): RoutedTeam => {
    const found = routed.get(event.item.id) ?? routeItem(event.item, input.routing);
    routed.set(event.item.id, found);
    return found;
  };

  for (const event of input.events) {
    const team = teamOf(event);
    if (team.emails.length > 0) add('email', { kind: 'email', to: [...team.emails].sort() }, team.teamName, event);
    if (team.webhookRouteId) add('teams', { kind: 'route', routeId: team.webhookRouteId }, team.teamName, event);
    for (const channel of input.channels) {
      if (channel.channelType === 'pagerduty') continue;
      // A ServiceNow incident is opened for what needs doing; resolutions are left to the ITSM workflow.
      if (channel.channelType === 'servicenow' && event.action === 'resolve') continue;
      if (channel.severities && event.action === 'trigger' && !channel.severities.includes(event.level)) continue;
      add(channel.channelType, { kind: 'channel', channel: channel.channelType }, team.teamName, event);
    }
    for (const rule of input.rules) {
      if (!ruleMatches(rule, event)) continue;
      // Digest rules collect their events until the digest timer sends them as one delivery.
      if (rule.deliveryMode === 'digest')
        digests.push({ ruleId: rule.id, channel: rule.deliveryMethod, teamName: team.teamName, event });
      else add(rule.deliveryMethod, { kind: 'rule', ruleId: rule.id }, team.teamName, event);
    }
  }

  const messages: DeliveryMessage[] = [];
  const createdAt = input.now.toISOString();
  for (const group of groups.values()) {
    messages.push(
      message(
        input,
        group.channel,
        group.destination,
        group.teamName,
        group.events,
        alertTypeOf(group.events),
        createdAt,
      ),
    );
  }
  const pagerDuty = input.channels.find((c) => c.channelType === 'pagerduty');
  if (pagerDuty) {
    const wanted = pagerDuty.severities ?? PAGERDUTY_DEFAULT;
    for (const event of input.events) {
      // One PagerDuty event per item and level: a trigger for the level reached, a resolve for each level raised.
      const levels = event.action === 'trigger' ? [event.level] : event.levels;
      for (const level of levels.filter((l) => wanted.includes(l))) {
        const one = { ...event, level, key: `${event.key}|pd:${level}` };
        const destination: Destination = { kind: 'channel', channel: 'pagerduty' };
        messages.push(
          message(input, 'pagerduty', destination, teamOf(event).teamName, [one], event.alertType, createdAt),
        );
      }
    }
  }
  for (const alert of input.alerts ?? []) messages.push(...planAlert(input, alert));
  return { messages, digests };
}

function ruleMatches(rule: StoredRule, event: NotifyEvent): boolean {
  if (!rule.enabled || rule.alertType !== event.alertType) return false;
  if (rule.subscriptions.length > 0 && !rule.subscriptions.includes(event.item.subscriptionId)) return false;
  if (rule.thresholdDays !== null && event.action === 'trigger') {
    const days = event.item.daysRemaining;
    if (days === null || days > rule.thresholdDays) return false;
  }
  return true;
}

const levelOfAlert: Record<AlertSeverity, AlertingSeverity | null> = {
  info: null,
  warning: 'warning',
  severe: 'severe',
  critical: 'critical',
};

/**
 * One raised alert (a scan's completion or vault errors, a failed rotation, a sync conflict, …) → its deliveries:
 * every enabled rule of its type (and subscription), and, for types the catalogue sends to channels, the routed
 * team's email and route webhook and each enabled tenant channel whose severities include the alert's (an `info`
 * alert reaches only channels without a severity filter, and never PagerDuty). The dedup key makes the delivery
 * keys, so the same alert raised twice plans the same messages, which the broker and the delivery store drop.
 * Pure.
 */
export function planAlert(input: AlertPlanInput, alert: AlertRaised): DeliveryMessage[] {
  const createdAt = input.now.toISOString();
  const level = levelOfAlert[alert.severity];
  const out: DeliveryMessage[] = [];
  const add = (channel: ChannelType, destination: Destination, teamName: string): void => {
    out.push({
      ...message(input, channel, destination, teamName, [], alert.alertType, createdAt, alert.dedupKey),
      summary: Object.fromEntries(
        Object.entries(alert.facts).map(([name, value]) => [name, typeof value === 'boolean' ? String(value) : value]),
      ),
      alert: { subject: alert.subject, severity: alert.severity, facts: alert.facts },
    });
  };
  if (alertCatalogue[alert.alertType].toChannels) {
    const team = routeItem(alert, input.routing);
    if (team.emails.length > 0) add('email', { kind: 'email', to: [...team.emails].sort() }, team.teamName);
    if (team.webhookRouteId) add('teams', { kind: 'route', routeId: team.webhookRouteId }, team.teamName);
    for (const channel of input.channels) {
      const wanted = channel.severities ?? (channel.channelType === 'pagerduty' ? PAGERDUTY_DEFAULT : null);
      if (wanted && (level === null || !wanted.includes(level))) continue;
      add(channel.channelType, { kind: 'channel', channel: channel.channelType }, team.teamName);
    }
  }
  for (const rule of input.rules) {
    if (!rule.enabled || rule.alertType !== alert.alertType) continue;
    if (rule.subscriptions.length > 0 && !rule.subscriptions.includes(alert.subscriptionId)) continue;
    // A raised alert goes to the rule's channel at once, digest rules included: it is one event, not a list.
    add(rule.deliveryMethod, { kind: 'rule', ruleId: rule.id }, 'Default');
  }
  return out;
}

function message(
  input: AlertPlanInput,
  channel: ChannelType,
  destination: Destination,
  teamName: string,
  events: readonly NotifyEvent[],
  alertType: AlertType,
  createdAt: string,
  extraKey?: string,
): DeliveryMessage {
  const keys = [...events.map((e) => e.key), ...(extraKey ? [extraKey] : [])];
  return {
    v: 1,
    deliveryKey: deliveryKey(channel, destination, keys),
    channel,
    destination,
    alertType,
    teamName,
    scanId: input.scanId,
    createdAt,
    events: [...events],
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    test: false,
  };
}
