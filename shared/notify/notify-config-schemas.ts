import { z } from 'zod';
import { emailListSchema } from './notify-settings';
import { alertTypes, alertingSeverities, channelTypes, webhookChannelTypes } from './notify-schemas';

const name = z.string().trim().min(1).max(200);
/** A URL field on input: validated by the URL guard on save; `""` clears it. */
const urlInput = z.string().trim().max(2048);
const secretInput = z.string().max(512);

/** `POST /api/routes` (VaultGuard360): creates, or updates when `id` names an existing route. */
export const routeInputSchema = z.object({
  id: z.string().trim().min(1).max(64).optional(),
  subscriptionId: z.union([z.literal('*'), z.string().trim().min(1).max(64)]),
  subscriptionName: z.string().trim().max(200).default(''),
  teamName: name,
  notificationEmail: emailListSchema.default(''),
  webhookUrl: urlInput.optional(),
});
export type RouteInput = z.infer<typeof routeInputSchema>;

/** A route as `GET /api/routes` shows it: whether a webhook is set, never the URL. */
export const routeViewSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  subscriptionName: z.string(),
  teamName: z.string(),
  notificationEmail: z.string(),
  webhookConfigured: z.boolean(),
});
export type RouteView = z.infer<typeof routeViewSchema>;

export const teamsFormats = ['auto', 'workflows', 'messagecard'] as const;

/** `POST /api/webhook-config`: one channel per call; omitted secrets keep their stored value, `""` clears. */
export const channelInputSchema = z.object({
  channelType: z.enum(webhookChannelTypes),
  enabled: z.boolean(),
  url: urlInput.optional(),
  secret: secretInput.optional(),
  routingKey: secretInput.optional(),
  username: z.string().max(256).optional(),
  password: secretInput.optional(),
  teamsFormat: z.enum(teamsFormats).optional(),
  severities: z.array(z.enum(alertingSeverities)).min(1).optional(),
});
export type ChannelInput = z.infer<typeof channelInputSchema>;

export const channelViewSchema = z.object({
  channelType: z.enum(webhookChannelTypes),
  enabled: z.boolean(),
  /** The URL (or PagerDuty routing key, or ServiceNow instance) is set; never shown. */
  configured: z.boolean(),
  secretConfigured: z.boolean(),
  source: z.enum(['table', 'appSetting', 'default']),
  teamsFormat: z.enum(teamsFormats).optional(),
  severities: z.array(z.enum(alertingSeverities)).optional(),
});
export const webhookConfigViewSchema = z.object({ channels: z.array(channelViewSchema) });

export const smtpSecurity = ['none', 'starttls', 'tls'] as const;

/** `POST /api/smtp-config`: provider choice and SMTP details; credentials are write-only. */
export const emailConfigInputSchema = z.object({
  provider: z.enum(['acs', 'smtp']),
  host: z.string().trim().max(253).default(''),
  port: z.number().int().min(1).max(65535).default(587),
  security: z.enum(smtpSecurity).default('starttls'),
  fromAddress: z.union([z.literal(''), z.email().max(254)]).default(''),
  fromName: z.string().trim().max(200).default('Keyward'),
  username: z.string().max(256).optional(),
  password: secretInput.optional(),
});
export type EmailConfigInput = z.infer<typeof emailConfigInputSchema>;

export const emailConfigViewSchema = z.object({
  provider: z.enum(['acs', 'smtp']),
  host: z.string(),
  port: z.number(),
  security: z.enum(smtpSecurity),
  fromAddress: z.string(),
  fromName: z.string(),
  credentialsConfigured: z.boolean(),
  acsConfigured: z.boolean(),
  /** Which transport sends now: ACS when chosen and configured, else SMTP when configured, else none. */
  activeProvider: z.enum(['acs', 'smtp', 'none']),
  source: z.enum(['table', 'appSetting', 'default']),
});

export const deliveryModes = ['immediate', 'digest'] as const;

/** CertifyClouds alert rule. Non-email rules use the tenant's channel unless they carry their own URL or key. */
export const ruleInputSchema = z.object({
  name,
  alertType: z.enum(alertTypes),
  thresholdDays: z.number().int().min(0).max(3650).optional(),
  deliveryMethod: z.enum(channelTypes),
  deliveryMode: z.enum(deliveryModes).default('immediate'),
  recipients: z.array(z.email().max(254)).max(50).default([]),
  subscriptions: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
  webhookUrl: urlInput.optional(),
  routingKey: secretInput.optional(),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;
/** PATCH body: any subset of the fields, without the create defaults (an omitted field keeps its value). */
export const rulePatchSchema = z.object({
  name: name.optional(),
  alertType: z.enum(alertTypes).optional(),
  thresholdDays: z.number().int().min(0).max(3650).optional(),
  deliveryMethod: z.enum(channelTypes).optional(),
  deliveryMode: z.enum(deliveryModes).optional(),
  recipients: z.array(z.email().max(254)).max(50).optional(),
  subscriptions: z.array(z.string().trim().min(1).max(64)).max(200).optional(),
  webhookUrl: urlInput.optional(),
  routingKey: secretInput.optional(),
  enabled: z.boolean().optional(),
});

export const ruleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  alertType: z.enum(alertTypes),
  thresholdDays: z.number().nullable(),
  deliveryMethod: z.enum(channelTypes),
  deliveryMode: z.enum(deliveryModes),
  recipients: z.array(z.string()),
  subscriptions: z.array(z.string()),
  targetConfigured: z.boolean(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RuleView = z.infer<typeof ruleViewSchema>;

export const snoozeInputSchema = z.object({
  until: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(500),
});
