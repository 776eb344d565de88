import { z } from 'zod';
import { atLeast } from '../auth/auth-roles';
import { errorSchema } from '../http/error-schema';
import { defineRoute } from '../http/route-spec';
import {
  channelInputSchema,
  channelViewSchema,
  emailConfigInputSchema,
  emailConfigViewSchema,
  routeInputSchema,
  routeViewSchema,
  webhookConfigViewSchema,
} from './notify-config-schemas';
import {
  idParamsSchema,
  smtpTestInputSchema,
  testResultSchema,
  testResultsSchema,
  webhookTestInputSchema,
} from './notify-api-schemas';
import { generalSettingsSchema, reminderModesSchema, thresholdsSchema } from './notify-settings';

const base = { tag: 'Notifications', minTier: 'trial' } as const;
const read = { ...base, method: 'GET', access: atLeast('reader'), rateLimit: 'read' } as const;
const write = { ...base, method: 'POST', access: atLeast('admin'), rateLimit: 'write' } as const;
const invalid = { 400: { description: 'Invalid input (or a URL the outbound guard refuses).', schema: errorSchema } };

/** The VaultGuard360 notification endpoints, with its documented request shapes. */
export const notifyRoutes = {
  getThresholds: defineRoute({
    ...read,
    operationId: 'getThresholds',
    path: '/api/thresholds',
    summary: 'Alert thresholds in days (warning > severe > critical ≥ 1)',
    responses: { 200: { description: 'The thresholds in force.', schema: thresholdsSchema } },
  }),
  postThresholds: defineRoute({
    ...write,
    operationId: 'postThresholds',
    path: '/api/thresholds',
    summary: 'Update the alert thresholds; applies from the next scan',
    body: thresholdsSchema,
    responses: { 200: { description: 'The saved thresholds.', schema: thresholdsSchema }, ...invalid },
    sample: { body: { warningDays: 30, severeDays: 14, criticalDays: 7 }, status: 200 },
  }),
  getGeneralSettings: defineRoute({
    ...read,
    operationId: 'getGeneralSettings',
    path: '/api/settings',
    summary: 'Default notification email and the per-threshold switches',
    responses: { 200: { description: 'General settings.', schema: generalSettingsSchema } },
  }),
  postGeneralSettings: defineRoute({
    ...write,
    operationId: 'postGeneralSettings',
    path: '/api/settings',
    summary: 'Update the default notification email (comma-separated) and the per-threshold switches',
    body: generalSettingsSchema,
    responses: { 200: { description: 'The saved settings.', schema: generalSettingsSchema }, ...invalid },
    sample: {
      body: { notificationEmail: 'security@contoso.com', days30Enabled: true, days14Enabled: true, days7Enabled: true },
      status: 200,
    },
  }),
  getReminderMode: defineRoute({
    ...read,
    operationId: 'getReminderMode',
    path: '/api/reminder-mode',
    summary: 'Reminder frequency per threshold: every_scan, daily, weekly or once',
    responses: { 200: { description: 'Reminder modes.', schema: reminderModesSchema } },
  }),
  postReminderMode: defineRoute({
    ...write,
    operationId: 'postReminderMode',
    path: '/api/reminder-mode',
    summary: 'Update the reminder frequency per threshold',
    body: reminderModesSchema,
    responses: { 200: { description: 'The saved modes.', schema: reminderModesSchema }, ...invalid },
    sample: { body: { warning: 'daily', severe: 'every_scan', critical: 'every_scan' }, status: 200 },
  }),
  getRoutes: defineRoute({
    ...read,
    operationId: 'getRoutes',
    path: '/api/routes',
    summary: 'Team routing rules (webhook URLs are never returned, only whether one is set)',
    responses: { 200: { description: 'Routes.', schema: z.object({ routes: z.array(routeViewSchema) }) } },
  }),
  postRoute: defineRoute({
    ...write,
    operationId: 'postRoute',
    path: '/api/routes',
    summary: 'Create or update a routing rule (subscriptionId or *); takes effect on the next scan',
    body: routeInputSchema,
    responses: {
      200: { description: 'The saved route.', schema: routeViewSchema },
      ...invalid,
      404: { description: 'No route with that id.', schema: errorSchema },
    },
    sample: {
      body: {
        subscriptionId: '*',
        subscriptionName: 'All',
        teamName: 'Platform',
        notificationEmail: 'platform@contoso.com',
      },
      status: 200,
    },
  }),
  deleteRoute: defineRoute({
    ...base,
    method: 'DELETE',
    access: atLeast('admin'),
    rateLimit: 'write',
    operationId: 'deleteRoute',
    path: '/api/routes/{id}',
    summary: 'Delete a routing rule',
    params: idParamsSchema,
    responses: { 204: { description: 'Deleted.' }, 404: { description: 'No such route.', schema: errorSchema } },
    sample: { params: { id: 'no-such-route' }, status: 404 },
  }),
  getSmtpConfig: defineRoute({
    ...read,
    operationId: 'getSmtpConfig',
    path: '/api/smtp-config',
    summary: 'Email configuration: provider (ACS or SMTP) and SMTP details; credentials are never returned',
    responses: { 200: { description: 'Email configuration.', schema: emailConfigViewSchema } },
  }),
  postSmtpConfig: defineRoute({
    ...write,
    operationId: 'postSmtpConfig',
    path: '/api/smtp-config',
    summary: 'Update the email configuration; omitted credentials keep their stored value',
    body: emailConfigInputSchema,
    responses: { 200: { description: 'The saved configuration.', schema: emailConfigViewSchema }, ...invalid },
    // Loopback: the save resolves the host through the outbound guard, and the test stacks run in local mode.
    sample: {
      body: {
        provider: 'smtp',
        host: '127.0.0.1',
        port: 587,
        security: 'starttls',
        fromAddress: 'keyward@contoso.com',
      },
      status: 200,
    },
  }),
  postSmtpTest: defineRoute({
    ...base,
    method: 'POST',
    access: atLeast('operator'),
    rateLimit: 'expensive',
    operationId: 'postSmtpTest',
    path: '/api/smtp/test',
    summary: 'Send a test email through the configured provider',
    body: smtpTestInputSchema,
    responses: { 200: { description: 'Whether the test email went out.', schema: testResultSchema }, ...invalid },
    sample: { body: { testEmail: 'test@contoso.com' }, status: 200 },
  }),
  getWebhookConfig: defineRoute({
    ...read,
    operationId: 'getWebhookConfig',
    path: '/api/webhook-config',
    summary: 'Webhook channels (Slack, Teams, PagerDuty, ServiceNow, generic): enabled and whether configured',
    responses: {
      200: { description: 'Channels; URLs and secrets are never returned.', schema: webhookConfigViewSchema },
    },
  }),
  postWebhookConfig: defineRoute({
    ...write,
    operationId: 'postWebhookConfig',
    path: '/api/webhook-config',
    summary: 'Configure one channel; URLs pass the outbound guard; omitted secrets keep their stored value',
    body: channelInputSchema,
    responses: {
      200: {
        description: 'The channel. A generic webhook saved without a secret gets one, shown once here.',
        schema: channelViewSchema.extend({ generatedSecret: z.string().optional() }),
      },
      ...invalid,
    },
    sample: { body: { channelType: 'slack', enabled: false }, status: 200 },
  }),
  postWebhookTest: defineRoute({
    ...base,
    method: 'POST',
    access: atLeast('operator'),
    rateLimit: 'expensive',
    operationId: 'postWebhookTest',
    path: '/api/webhook-config/test',
    summary: 'Send a test message through one channel',
    body: webhookTestInputSchema,
    responses: { 200: { description: 'Whether the test went out.', schema: testResultSchema }, ...invalid },
    sample: { body: { channelType: 'slack' }, status: 200 },
  }),
  postTestNotification: defineRoute({
    ...base,
    method: 'POST',
    access: atLeast('operator'),
    rateLimit: 'expensive',
    operationId: 'postTestNotification',
    path: '/api/test-notification',
    summary: 'Send a test notification through every configured channel and the default email',
    responses: { 200: { description: 'One result per channel tried.', schema: testResultsSchema } },
  }),
};
