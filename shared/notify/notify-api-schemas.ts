import { z } from 'zod';
import { CORRELATION_ID_PATTERN } from '../runtime/correlation';
import { deliveryStatuses } from './delivery-store';
import { channelTypes, webhookChannelTypes } from './notify-schemas';

/** The result of a test send: whether it went out, and why not (no URL, no secret, a status or error code). */
export const testResultSchema = z.object({
  channelType: z.enum(channelTypes),
  success: z.boolean(),
  message: z.string(),
});
export const testResultsSchema = z.object({ results: z.array(testResultSchema) });

export const smtpTestInputSchema = z.object({ testEmail: z.email().max(254) });
export const webhookTestInputSchema = z.object({ channelType: z.enum(webhookChannelTypes) });

export const idParamsSchema = z.object({ id: z.string().trim().min(1).max(512) });

/** `GET /api/alerts/history` (CertifyClouds: start_date, end_date, status), plus channel and limit. */
export const historyQuerySchema = z.object({
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  status: z.enum(deliveryStatuses).optional(),
  channel: z.enum(channelTypes).optional(),
  /** Everything one scan or request caused: the correlation id it returned (`x-correlation-id`). */
  correlation_id: z.string().trim().regex(CORRELATION_ID_PATTERN).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const deliveryViewSchema = z.object({
  deliveryId: z.string(),
  channel: z.enum(channelTypes),
  target: z.string(),
  teamName: z.string(),
  alertType: z.string(),
  itemCount: z.number(),
  test: z.boolean(),
  correlationId: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
});
export const historyResponseSchema = z.object({ deliveries: z.array(deliveryViewSchema) });

export const settingsParamsSchema = z.object({
  category: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  key: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export const settingValueInputSchema = z.object({ value: z.unknown() });

/** One setting as `GET /api/settings/effective` shows it; a secret's value is masked. */
export const effectiveSettingSchema = z.object({
  category: z.string(),
  key: z.string(),
  value: z.unknown(),
  source: z.enum(['table', 'appSetting', 'default']),
  secret: z.boolean(),
  /** Stored in Table Storage and changeable with PUT/DELETE /api/settings/{category}/{key}. */
  editable: z.boolean(),
});
export const effectiveSettingsSchema = z.object({ settings: z.array(effectiveSettingSchema) });

export const snoozeViewSchema = z.object({
  itemId: z.string(),
  until: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
