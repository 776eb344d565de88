import { createHash } from 'node:crypto';
import { z } from 'zod';
import { thresholdsAreOrdered } from '../inventory/severity';
import { smtpSecurity } from '../notify/notify-config-schemas';
import { emailListSchema } from '../notify/notify-settings';
import { reminderModes, webhookChannelTypes } from '../notify/notify-schemas';

/** The document format; a later format gets a new number and an upgrade step, never a silent reinterpretation. */
export const CONFIG_DOCUMENT_VERSION = 1;

const days = z.number().int().min(1).max(3650);
/** Table keys cannot hold '/', '\\', '#', '?' or control characters. */
const routeId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^/\\#?\u0000-\u001f\u007f-\u009f]+$/, 'no /, \\, #, ? or control characters');

export const configRouteSchema = z.strictObject({
  /** Kept across export and import; a route without one gets an id derived from its subscription and team. */
  id: routeId.optional(),
  subscriptionId: z.union([z.literal('*'), z.string().trim().min(1).max(64)]),
  subscriptionName: z.string().trim().max(200),
  teamName: z.string().trim().min(1).max(200),
  notificationEmail: emailListSchema,
  /** Whether the route has its own webhook. The URL is never exported; an import cannot set one. */
  webhookConfigured: z.boolean(),
});

export const configChannelSchema = z.strictObject({
  type: z.enum(webhookChannelTypes),
  enabled: z.boolean(),
});

/**
 * A route's id: its own, else one derived from its subscription and team, so importing the same document
 * twice (or again after an interrupted import) finds the route it created instead of adding another.
 */
export function routeIdOf(route: { id?: string | undefined; subscriptionId: string; teamName: string }): string {
  if (route.id) return route.id;
  const digest = createHash('sha256').update(`${route.subscriptionId}\n${route.teamName}`).digest('hex');
  return `route-${digest.slice(0, 24)}`;
}

/**
 * Configuration export and import (VaultGuard360's `GET /api/export`, `POST /api/import`): thresholds, general
 * settings, reminder modes, routes, channel types with their enabled flags, and the email provider without
 * credentials. No secret, token or webhook URL has a field here, so none can be exported or imported.
 */
export const configDocumentSchema = z
  .strictObject({
    version: z.literal(CONFIG_DOCUMENT_VERSION),
    exportedAt: z.iso.datetime({ offset: true }),
    thresholds: z
      .strictObject({ warningDays: days, severeDays: days, criticalDays: days })
      .refine(thresholdsAreOrdered, { message: 'warningDays > severeDays > criticalDays ≥ 1 is required' }),
    settings: z.strictObject({
      notificationEmail: emailListSchema,
      days30Enabled: z.boolean(),
      days14Enabled: z.boolean(),
      days7Enabled: z.boolean(),
    }),
    reminderModes: z.strictObject({
      warning: z.enum(reminderModes),
      severe: z.enum(reminderModes),
      critical: z.enum(reminderModes),
    }),
    routes: z.array(configRouteSchema).max(500),
    channels: z.array(configChannelSchema).max(webhookChannelTypes.length),
    emailProvider: z.strictObject({
      provider: z.enum(['acs', 'smtp']),
      host: z.string().trim().max(253),
      port: z.number().int().min(1).max(65535),
      security: z.enum(smtpSecurity),
      fromAddress: z.union([z.literal(''), z.email().max(254)]),
      fromName: z.string().trim().max(200),
    }),
  })
  .superRefine((document, context) => {
    const ids = new Set<string>();
    document.routes.forEach((route, index) => {
      const id = routeIdOf(route);
      if (ids.has(id))
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'id'],
          message: 'a second route with this id (or subscription and team)',
        });
      ids.add(id);
    });
    const seen = new Set<string>();
    document.channels.forEach((channel, index) => {
      if (seen.has(channel.type)) {
        context.addIssue({ code: 'custom', path: ['channels', index, 'type'], message: 'listed twice' });
      }
      seen.add(channel.type);
    });
  });

export const configChangeSchema = z.object({
  /** Where: `thresholds.warningDays`, `routes.<id>`, `channels.slack.enabled`, `emailProvider.host`, … */
  path: z.string(),
  change: z.enum(['created', 'updated', 'deleted']),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});

export const importResultSchema = z.object({
  /** False when the document matched the configuration already in force (nothing was written). */
  changed: z.boolean(),
  changes: z.array(configChangeSchema),
  /** What the import could not carry over, e.g. a route webhook or a channel URL to set again. */
  warnings: z.array(z.string()),
});
