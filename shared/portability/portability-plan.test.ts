import { planImport } from './portability-plan';
import { configDocumentSchema, routeIdOf } from './portability-schemas';
import type { ConfigDocument } from './portability-types';

const infraRoute = {
  subscriptionId: 'sub-1',
  subscriptionName: 'Prod',
  teamName: 'Infra',
  notificationEmail: 'infra@example.com',
  webhookConfigured: true,
};

const base: ConfigDocument = {
  version: 1,
  exportedAt: '2026-03-30T08:00:00.000Z',
  thresholds: { warningDays: 30, severeDays: 14, criticalDays: 7 },
  settings: { notificationEmail: 'sec@example.com', days30Enabled: true, days14Enabled: true, days7Enabled: true },
  reminderModes: { warning: 'weekly', severe: 'daily', critical: 'daily' },
  routes: [{ id: 'r1', ...infraRoute }],
  channels: [
    { type: 'slack', enabled: true },
    { type: 'webhook', enabled: false },
  ],
  emailProvider: {
    provider: 'smtp',
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    fromAddress: 'k@example.com',
    fromName: 'Keyward',
  },
};

describe('planImport', () => {
  it('plans nothing for the configuration already in force (whatever exportedAt says)', () => {
    const plan = planImport(base, { ...base, exportedAt: '2027-01-01T00:00:00.000Z' });
    expect(plan).toEqual({ changes: [], operations: [], warnings: [] });
  });

  it('lists each changed value and writes settings, email, channels, then routes saved and removed', () => {
    const desired: ConfigDocument = {
      ...base,
      thresholds: { warningDays: 60, severeDays: 14, criticalDays: 7 },
      settings: { ...base.settings, days7Enabled: false },
      channels: [{ type: 'webhook', enabled: true }],
      emailProvider: { ...base.emailProvider, port: 2525 },
      routes: [
        {
          subscriptionId: '*',
          subscriptionName: '',
          teamName: 'Default',
          notificationEmail: 'all@example.com',
          webhookConfigured: true,
        },
      ],
    };
    const plan = planImport(base, desired);
    const newId = routeIdOf({ subscriptionId: '*', teamName: 'Default' });
    expect(plan.changes.map((c) => `${c.change} ${c.path}`)).toEqual([
      'updated thresholds',
      'updated settings.days7Enabled',
      'updated emailProvider',
      'updated channels.webhook.enabled',
      `created routes.${newId}`,
      'deleted routes.r1',
    ]);
    expect(plan.operations.map((o) => o.kind)).toEqual([
      'setting',
      'setting',
      'emailProvider',
      'channel',
      'saveRoute',
      'deleteRoute',
    ]);
    expect(plan.changes[1]).toEqual({ path: 'settings.days7Enabled', change: 'updated', from: true, to: false });
    // A route webhook cannot travel in a document: the import says so instead of pretending.
    expect(plan.warnings).toEqual([expect.stringContaining(newId)]);
  });

  it('converges: planning again from the state the plan produces finds nothing left to do', () => {
    const desired: ConfigDocument = {
      ...base,
      routes: [{ ...infraRoute, teamName: 'Infra 2', webhookConfigured: false }],
    };
    const first = planImport(base, desired);
    expect(first.operations).toHaveLength(2);
    const applied: ConfigDocument = {
      ...desired,
      routes: desired.routes.map((route) => ({ ...route, id: routeIdOf(route) })),
    };
    expect(planImport(applied, desired).operations).toEqual([]);
  });

  it('the document schema names every violation and refuses duplicates and unknown fields', () => {
    const bad = {
      ...base,
      thresholds: { warningDays: 7, severeDays: 14, criticalDays: 30 },
      routes: [infraRoute, { ...infraRoute, id: 'r2', notificationEmail: 'not an email' }],
      channels: [...base.channels, { type: 'slack', enabled: false }],
      emailProvider: { ...base.emailProvider, password: 'hunter2' },
    };
    const result = configDocumentSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['thresholds', 'routes.1.notificationEmail', 'emailProvider']));
    expect(configDocumentSchema.safeParse(base).success).toBe(true);
  });
});
