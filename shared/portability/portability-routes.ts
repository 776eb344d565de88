import { atLeast } from '../auth/auth-roles';
import { errorSchema } from '../http/error-schema';
import { defineRoute } from '../http/route-spec';
import { configDocumentSchema, importResultSchema } from './portability-schemas';

const base = { tag: 'Configuration', minTier: 'trial' } as const;

/** A small valid document: the sample the authorization matrix and the fuzz test send. */
const sampleDocument = {
  version: 1,
  exportedAt: '2026-03-30T08:00:00+00:00',
  thresholds: { warningDays: 45, severeDays: 20, criticalDays: 5 },
  settings: { notificationEmail: 'security@example.com', days30Enabled: true, days14Enabled: true, days7Enabled: true },
  reminderModes: { warning: 'weekly', severe: 'daily', critical: 'every_scan' },
  routes: [
    {
      subscriptionId: '*',
      subscriptionName: 'Default',
      teamName: 'Platform',
      notificationEmail: 'platform@example.com',
      webhookConfigured: false,
    },
  ],
  channels: [{ type: 'slack', enabled: false }],
  // Loopback: an imported SMTP host passes the outbound guard (resolved), and the test stacks run in local mode.
  emailProvider: {
    provider: 'smtp',
    host: '127.0.0.1',
    port: 587,
    security: 'starttls',
    fromAddress: 'keyward@example.com',
    fromName: 'Keyward',
  },
};

/** VaultGuard360's configuration export and import. */
export const portabilityRoutes = {
  // Operators too: the document holds nothing a reader cannot already GET and no secret, but it is the bulk
  // backup a team takes before an upgrade or a move, an operations task; readers only view the dashboard.
  exportConfig: defineRoute({
    ...base,
    operationId: 'exportConfig',
    method: 'GET',
    path: '/api/export',
    summary: 'Export the configuration as versioned JSON (no secrets, tokens or webhook URLs); works after the trial',
    access: atLeast('operator'),
    rateLimit: 'read',
    trialExempt: true,
    responses: { 200: { description: 'The configuration document.', schema: configDocumentSchema } },
  }),
  importConfig: defineRoute({
    ...base,
    operationId: 'importConfig',
    method: 'POST',
    path: '/api/import',
    summary: 'Import a configuration document: validated whole, then applied; reports what changed',
    access: atLeast('admin'),
    rateLimit: 'write',
    body: configDocumentSchema,
    responses: {
      200: { description: 'What changed, and what the document could not carry over.', schema: importResultSchema },
      400: {
        description: 'The document is invalid; nothing was written. Details name each field.',
        schema: errorSchema,
      },
    },
    sample: { body: sampleDocument, status: 200 },
  }),
};
