import { createHash } from 'node:crypto';
import type { AlertingSeverity, DeliveryMessage, NotifyEvent } from './notify-schemas';
import { escapeSlack, escapeTeams } from './chat-markup';
import { countsText, factLines, itemLine, levelColour, title, worstLevel } from './notify-text';

/** A raised alert's facts as name/value pairs for card layouts, escaped for Teams markdown. */
const alertFacts = (message: DeliveryMessage): { name: string; value: string }[] =>
  Object.entries(message.alert?.facts ?? {}).map(([name, value]) => ({
    name: escapeTeams(name),
    value: escapeTeams(String(value)),
  }));

/** Slack shows at most this many items; the rest become "and N more" (as VaultGuard360 does). */
export const SLACK_MAX_ITEMS = 10;
const TEAMS_MAX_ITEMS = 15;

const moreLine = (total: number, shown: number): string[] => (total > shown ? [`…and ${total - shown} more`] : []);

/** Slack incoming webhook: one attachment coloured by the worst level, items as lines (CertifyClouds' shape). */
export function slackPayload(message: DeliveryMessage): unknown {
  const lines = [...factLines(message), ...message.events.slice(0, SLACK_MAX_ITEMS).map(itemLine)].map(
    (l) => `• ${escapeSlack(l)}`,
  );
  const heading = escapeSlack(title(message));
  return {
    text: heading,
    attachments: [
      {
        color: levelColour[worstLevel(message)],
        title: heading,
        text: [...lines, ...moreLine(message.events.length, lines.length)].join('\n'),
        fields: [
          { title: 'Team', value: escapeSlack(message.teamName), short: true },
          { title: 'Items', value: countsText(message) || '—', short: true },
        ],
        footer: 'Keyward',
        ts: Math.floor(new Date(message.createdAt).getTime() / 1000),
      },
    ],
  };
}

export type TeamsFormat = 'workflows' | 'messagecard';

/**
 * Legacy Office 365 connector URLs (`*.webhook.office.com/webhookb2/…`, `outlook.office.com/webhook/…`) take a
 * MessageCard; Workflows (Power Automate) URLs take an Adaptive Card in a message envelope.
 */
export function detectTeamsFormat(url: string): TeamsFormat {
  const { hostname, pathname } = new URL(url);
  if (
    hostname.endsWith('.webhook.office.com') ||
    (hostname === 'outlook.office.com' && pathname.startsWith('/webhook'))
  )
    return 'messagecard';
  return 'workflows';
}

export function teamsPayload(message: DeliveryMessage, format: TeamsFormat): unknown {
  const shown = message.events.slice(0, TEAMS_MAX_ITEMS);
  const more = moreLine(message.events.length, shown.length);
  const heading = escapeTeams(title(message));
  const team = `Team: ${escapeTeams(message.teamName)}`;
  const items = shown.map((e) => ({ name: escapeTeams(e.item.name), value: escapeTeams(itemLine(e)) }));
  if (format === 'messagecard') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: title(message),
      themeColor: levelColour[worstLevel(message)].slice(1),
      title: heading,
      text: `${team}. ${countsText(message)}`,
      sections: [{ facts: [...alertFacts(message), ...items] }, ...more.map((text) => ({ text }))],
    };
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: heading },
            { type: 'TextBlock', wrap: true, isSubtle: true, text: `${team} · ${countsText(message)}` },
            {
              type: 'FactSet',
              facts: [...alertFacts(message), ...items].map((f) => ({ title: f.name, value: f.value })),
            },
            ...more.map((text) => ({ type: 'TextBlock', text, wrap: true })),
          ],
        },
      },
    ],
  };
}

const pagerDutySeverity: Record<AlertingSeverity, 'critical' | 'error' | 'warning'> = {
  expired: 'critical',
  critical: 'critical',
  severe: 'error',
  warning: 'warning',
};

/** PagerDuty's dedup key for an item at a level: a trigger and its later resolve share it. */
export function pagerDutyDedupKey(itemId: string, level: AlertingSeverity): string {
  return `keyward-${createHash('sha256').update(itemId).digest('hex').slice(0, 40)}-${level}`;
}

/** Events API v2 body for one event; PagerDuty deliveries carry exactly one event. */
export function pagerDutyPayload(
  routingKey: string,
  message: DeliveryMessage,
  event: NotifyEvent,
  level: AlertingSeverity,
): unknown {
  const dedupKey = pagerDutyDedupKey(event.item.id, level);
  if (event.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: `${message.test ? '[Test] ' : ''}${itemLine(event)}`.slice(0, 1024),
      source: event.item.vaultName,
      severity: pagerDutySeverity[level],
      timestamp: message.createdAt,
      component: event.item.name,
      group: event.item.subscriptionName,
      class: event.alertType,
      custom_details: {
        teamName: message.teamName,
        kind: event.item.kind,
        subscriptionId: event.item.subscriptionId,
        expiresOn: event.item.expiresOn,
        daysRemaining: event.item.daysRemaining,
        reason: event.reason,
      },
    },
  };
}

/** Events API v2 trigger for a raised alert; its dedup key is the alert's, so a repeat updates one incident. */
export function pagerDutyAlertPayload(routingKey: string, message: DeliveryMessage): unknown {
  const alert = message.alert;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: `keyward-${createHash('sha256').update(message.deliveryKey).digest('hex').slice(0, 40)}`,
    payload: {
      summary: title(message).slice(0, 1024),
      source: 'Keyward',
      severity: pagerDutySeverity[worstLevel(message)],
      timestamp: message.createdAt,
      class: message.alertType,
      custom_details: { teamName: message.teamName, ...alert?.facts },
    },
  };
}

/** ServiceNow Table API body for an incident; `correlation_id` lets the ITSM side find duplicates. */
export function serviceNowIncident(message: DeliveryMessage): unknown {
  const worst = worstLevel(message);
  const urgent = worst === 'critical' || worst === 'expired';
  return {
    short_description: title(message).slice(0, 160),
    description: [`Team: ${message.teamName}`, ...factLines(message), ...message.events.map(itemLine)].join('\n'),
    urgency: urgent ? '1' : worst === 'severe' ? '2' : '3',
    impact: urgent ? '1' : '2',
    category: 'security',
    correlation_id: message.deliveryKey,
    correlation_display: 'Keyward',
  };
}

/** Version of the generic webhook payload; documented in docs/webhooks.md. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** The generic webhook body (Standard Webhooks envelope: type, timestamp, data). */
export function webhookPayload(message: DeliveryMessage): unknown {
  return {
    type: `keyward.${message.alertType}`,
    version: WEBHOOK_PAYLOAD_VERSION,
    timestamp: message.createdAt,
    data: {
      deliveryId: message.deliveryKey,
      teamName: message.teamName,
      scanId: message.scanId,
      correlationId: message.correlationId ?? null,
      test: message.test,
      summary: message.summary ?? null,
      alert: message.alert ?? null,
      items: message.events.map((e) => ({
        id: e.item.id,
        kind: e.item.kind,
        name: e.item.name,
        vaultName: e.item.vaultName,
        subscriptionId: e.item.subscriptionId,
        subscriptionName: e.item.subscriptionName,
        expiresOn: e.item.expiresOn,
        daysRemaining: e.item.daysRemaining,
        severity: e.level,
        action: e.action,
        reason: e.reason,
      })),
    },
  };
}
