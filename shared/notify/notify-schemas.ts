import { z } from 'zod';
import { alertSeverities, alertTypes } from '../events/alert-catalogue';
import { severities } from '../inventory/severity';

/** How often an item that stays in a threshold window is notified again (VaultGuard360's four modes). */
export const reminderModes = ['every_scan', 'daily', 'weekly', 'once'] as const;
export type ReminderMode = (typeof reminderModes)[number];

/** The three configurable thresholds; `expired` items follow the critical threshold's mode. */
export const thresholdLevels = ['warning', 'severe', 'critical'] as const;
export type ThresholdLevel = (typeof thresholdLevels)[number];

/** Severities that notify: the three thresholds plus `expired`. */
export const alertingSeverities = ['warning', 'severe', 'critical', 'expired'] as const;
export type AlertingSeverity = (typeof alertingSeverities)[number];

// The alert catalogue (types, who raises them) lives with the events: producers raise alerts without notify.
export { alertTypes, type AlertType } from '../events/alert-catalogue';

/** Webhook-like channels configured once for the tenant (`/api/webhook-config`). */
export const webhookChannelTypes = ['slack', 'teams', 'pagerduty', 'servicenow', 'webhook'] as const;
export type WebhookChannelType = (typeof webhookChannelTypes)[number];

/** Every delivery channel; each has its own queue and worker. */
export const channelTypes = ['email', ...webhookChannelTypes] as const;
export type ChannelType = (typeof channelTypes)[number];

const id = z.string().trim().min(1).max(512);
const text = (max: number) => z.string().trim().max(max);

/** One inventory item as the notifier sees it: enough to render, route and key a notification. */
export const notifyItemSchema = z.object({
  id,
  /** The unit a scan reads the item with (a vault, or the directory); an unreachable scope is not a deletion. */
  scope: text(300),
  kind: text(40),
  name: text(256),
  vaultName: text(128),
  subscriptionId: text(64),
  subscriptionName: text(256),
  expiresOn: z.iso.datetime({ offset: true }).nullable(),
  severity: z.enum(severities),
  daysRemaining: z.number().int().nullable(),
  tags: z.record(z.string().max(512), z.string().max(512)).default({}),
});
export type NotifyItem = z.infer<typeof notifyItemSchema>;

export const deliveryActions = ['trigger', 'resolve'] as const;
export type DeliveryAction = (typeof deliveryActions)[number];

/** Why an item notifies: it entered or changed level, a reminder window came round, or it went away. */
export const eventReasons = ['entered', 'escalated', 'changed', 'reminder', 'renewed', 'deleted', 'test'] as const;
export type EventReason = (typeof eventReasons)[number];

/** One item's notification in one reminder window. `key` (item + level + window) is stable across re-runs. */
export const notifyEventSchema = z.object({
  key: text(700),
  action: z.enum(deliveryActions),
  reason: z.enum(eventReasons),
  alertType: z.enum(alertTypes),
  level: z.enum(alertingSeverities),
  item: notifyItemSchema,
  /** Levels the item was triggered at (a resolve closes each: PagerDuty keys incidents per item + level). */
  levels: z.array(z.enum(alertingSeverities)).default([]),
});
export type NotifyEvent = z.infer<typeof notifyEventSchema>;

/**
 * Where one delivery goes. URLs and secrets are never in a message (it may be dead-lettered and read):
 * the worker looks the target up by reference at send time and checks it again.
 */
export const destinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), to: z.array(z.email().max(254)).min(1).max(50) }),
  z.object({ kind: z.literal('channel'), channel: z.enum(webhookChannelTypes) }),
  z.object({ kind: z.literal('route'), routeId: id }),
  z.object({ kind: z.literal('rule'), ruleId: id }),
]);
export type Destination = z.infer<typeof destinationSchema>;

/** One queue message = one delivery; its Service Bus messageId is `deliveryKey`. Version 1. */
export const deliveryMessageSchema = z.object({
  v: z.literal(1),
  deliveryKey: z.string().min(1).max(128),
  channel: z.enum(channelTypes),
  destination: destinationSchema,
  alertType: z.enum(alertTypes),
  teamName: text(256),
  scanId: text(128),
  createdAt: z.iso.datetime({ offset: true }),
  events: z.array(notifyEventSchema).max(5000),
  /** Summary counters for scan_completed / vault_error alerts. */
  summary: z.record(z.string().max(64), z.union([z.number(), z.string().max(512)])).optional(),
  /** A raised alert (rotation, sync, compliance, …): what happened, instead of inventory items. */
  alert: z
    .object({
      subject: text(300),
      severity: z.enum(alertSeverities),
      facts: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])),
    })
    .optional(),
  /** The request or timer that caused this delivery; sent on as a header and kept in the delivery history. */
  correlationId: z.string().max(128).optional(),
  test: z.boolean().default(false),
});
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;
