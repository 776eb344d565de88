import { randomUUID } from 'node:crypto';
import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

// Configuration export/import and the audit entries of API keys, roles, settings, the trial start and
// portability, through the local Functions host (compiled app: `npm run build` first) on Azurite.
let stack: KeywardStack;
let admin: string;
let operator: string;
let reader: string;

const SMTP_PASSWORD = 'portability-smtp-Pw-7731';
const SLACK_TOKEN = 'T0PORTABLE/B0PORTABLE/SLACKTOKEN8842';
const ROUTE_TOKEN = 'route-hook-TOKEN-5521';
const WEBHOOK_TOKEN = 'generic-hook-TOKEN-6630';
const SIGNING_SECRET = generateWebhookSecret();
// Loopback http URLs: the local run's outbound guard accepts them at save time (nothing is sent here).
const SLACK_URL = `http://127.0.0.1:9/slack/${SLACK_TOKEN}`;
const ROUTE_URL = `http://127.0.0.1:9/teams/${ROUTE_TOKEN}`;
const WEBHOOK_URL = `http://127.0.0.1:9/hooks/${WEBHOOK_TOKEN}`;
let apiKey = '';
let adaId = '';

interface Reply {
  status: number;
  text: string;
  json: unknown;
}

async function call(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  correlationId?: string,
): Promise<Reply> {
  const headers: Record<string, string> = cookie.startsWith('Bearer ') ? { authorization: cookie } : { cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (correlationId) headers['x-correlation-id'] = correlationId;
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : null };
}

interface AuditEntry {
  action: string;
  outcome: string;
  correlationId: string;
  actor: { type: string; id: string; name: string };
  details: Record<string, unknown>;
}

async function auditEntries(action?: string): Promise<AuditEntry[]> {
  const query = new URLSearchParams({ limit: '200', ...(action ? { action } : {}) });
  const reply = await call(admin, 'GET', `/api/audit?${query.toString()}`);
  expect(reply.status).toBe(200);
  return (reply.json as { entries: AuditEntry[] }).entries;
}

const secrets = (): string[] => [
  SMTP_PASSWORD,
  SLACK_TOKEN,
  ROUTE_TOKEN,
  WEBHOOK_TOKEN,
  SIGNING_SECRET,
  SIGNING_SECRET.slice('whsec_'.length),
  apiKey,
  '127.0.0.1:9',
];

function expectNoSecret(text: string): void {
  for (const secret of secrets()) expect(text).not.toContain(secret);
}

/** The export minus its timestamp: what must be identical across export → import → export. */
async function exported(cookie = admin): Promise<Record<string, unknown>> {
  const reply = await call(cookie, 'GET', '/api/export');
  expect(reply.status).toBe(200);
  expectNoSecret(reply.text);
  const { exportedAt, ...rest } = reply.json as Record<string, unknown>;
  expect(typeof exportedAt).toBe('string');
  return rest;
}

beforeAll(async () => {
  stack = await startKeywardStack({ env: { KEYWARD_RATE_LIMIT_WRITE: '10000', KEYWARD_RATE_LIMIT_READ: '10000' } });
  admin = await stack.signIn({ email: 'ada@example.com', name: 'Ada Admin', roles: ['admin'] });
  operator = await stack.signIn({ email: 'otto@example.com', name: 'Otto Operator', roles: ['operator'] });
  adaId = ((await call(admin, 'GET', '/api/me')).json as { userId: string }).userId;
  reader = await stack.signIn({ email: 'rita@example.com', name: 'Rita Reader', roles: ['reader'] });
  // Seed every kind of secret through the API: SMTP credentials, channel URLs, a signing secret, a route
  // webhook, and an API key.
  const seeds: [string, string, unknown][] = [
    [
      'POST',
      '/api/smtp-config',
      {
        provider: 'smtp',
        host: '127.0.0.1',
        port: 587,
        security: 'starttls',
        fromAddress: 'keyward@example.com',
        fromName: 'Keyward',
        username: 'keyward-smtp',
        password: SMTP_PASSWORD,
      },
    ],
    ['POST', '/api/webhook-config', { channelType: 'slack', enabled: true, url: SLACK_URL }],
    [
      'POST',
      '/api/webhook-config',
      { channelType: 'webhook', enabled: true, url: WEBHOOK_URL, secret: SIGNING_SECRET },
    ],
    [
      'POST',
      '/api/routes',
      {
        subscriptionId: 'sub-prod',
        subscriptionName: 'Production',
        teamName: 'Infra',
        notificationEmail: 'infra@example.com',
        webhookUrl: ROUTE_URL,
      },
    ],
    [
      'POST',
      '/api/routes',
      {
        subscriptionId: '*',
        subscriptionName: 'Default',
        teamName: 'Platform',
        notificationEmail: 'platform@example.com',
      },
    ],
    ['POST', '/api/thresholds', { warningDays: 40, severeDays: 15, criticalDays: 4 }],
  ];
  for (const [method, path, body] of seeds) {
    const reply = await call(admin, method, path, body);
    expect({ path, status: reply.status, text: reply.text.slice(0, 200) }).toMatchObject({ status: 200 });
  }
  const key = await call(admin, 'POST', '/api/keys', { name: 'automation', role: 'admin' });
  expect(key.status).toBe(201);
  apiKey = (key.json as { key: string }).key;
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/export', () => {
  it('holds the configuration in VaultGuard360 categories and no secret, token or webhook URL', async () => {
    const document = await exported();
    expect(document).toMatchObject({
      version: 1,
      thresholds: { warningDays: 40, severeDays: 15, criticalDays: 4 },
      emailProvider: { provider: 'smtp', host: '127.0.0.1', port: 587, fromAddress: 'keyward@example.com' },
    });
    expect(document.emailProvider).not.toHaveProperty('password');
    expect(document.channels).toEqual(
      expect.arrayContaining([
        { type: 'slack', enabled: true },
        { type: 'webhook', enabled: true },
      ]),
    );
    const routes = document.routes as { teamName: string; webhookConfigured: boolean }[];
    expect(routes.map((r) => [r.teamName, r.webhookConfigured]).sort()).toEqual([
      ['Infra', true],
      ['Platform', false],
    ]);
  });

  it('is open to operators, not to readers', async () => {
    expect((await call(operator, 'GET', '/api/export')).status).toBe(200);
    expect((await call(reader, 'GET', '/api/export')).status).toBe(403);
  });
});

describe('POST /api/import', () => {
  it('export → import → export is identical, and the import reports no change', async () => {
    const first = await call(admin, 'GET', '/api/export');
    const imported = await call(admin, 'POST', '/api/import', first.json);
    expect(imported.status).toBe(200);
    expect(imported.json).toEqual({ changed: false, changes: [], warnings: [] });
    const { exportedAt: _at, ...before } = first.json as Record<string, unknown>;
    expect(await exported()).toEqual(before);
  });

  it('a document invalid anywhere is refused with the fields named, and nothing changes', async () => {
    const valid = (await call(admin, 'GET', '/api/export')).json as Record<string, unknown>;
    const routes = valid.routes as Record<string, unknown>[];
    const invalid: [string, Record<string, unknown>, string][] = [
      ['version', { ...valid, version: 2 }, 'body.version'],
      [
        'thresholds order',
        { ...valid, thresholds: { warningDays: 5, severeDays: 15, criticalDays: 30 } },
        'body.thresholds',
      ],
      [
        'route email',
        { ...valid, routes: [routes[0], { ...routes[1], notificationEmail: 'nope' }] },
        'body.routes.1.notificationEmail',
      ],
      [
        'email password',
        { ...valid, emailProvider: { ...(valid.emailProvider as object), password: 'x' } },
        'body.emailProvider.password',
      ],
      ['channel type', { ...valid, channels: [{ type: 'fax', enabled: true }] }, 'body.channels.0.type'],
      ['missing section', { ...valid, reminderModes: undefined }, 'body.reminderModes'],
    ];
    const before = await stack.snapshotTables();
    for (const [name, document, field] of invalid) {
      const reply = await call(admin, 'POST', '/api/import', document);
      expect({ name, status: reply.status }).toEqual({ name, status: 400 });
      const fields = (reply.json as { details: { field: string }[] }).details.map((d) => d.field);
      expect({ name, fields }).toEqual({ name, fields: expect.arrayContaining([field]) });
    }
    expect(await stack.snapshotTables()).toEqual(before);
  });

  it('is admin only', async () => {
    const document = (await call(admin, 'GET', '/api/export')).json;
    expect((await call(operator, 'POST', '/api/import', document)).status).toBe(403);
  });

  it('applies a changed document, reports each change, and keeps the secrets already stored', async () => {
    const current = (await call(admin, 'GET', '/api/export')).json as Record<string, unknown>;
    const routes = current.routes as { id: string; teamName: string }[];
    const infra = routes.find((r) => r.teamName === 'Infra');
    const desired = {
      ...current,
      thresholds: { warningDays: 60, severeDays: 20, criticalDays: 5 },
      channels: [{ type: 'slack', enabled: false }],
      routes: [
        { ...infra, teamName: 'Infrastructure' },
        {
          subscriptionId: 'sub-dev',
          subscriptionName: 'Dev',
          teamName: 'Dev',
          notificationEmail: 'dev@example.com',
          webhookConfigured: true,
        },
      ],
    };
    const reply = await call(admin, 'POST', '/api/import', desired);
    expect(reply.status).toBe(200);
    const result = reply.json as { changed: boolean; changes: { path: string; change: string }[]; warnings: string[] };
    expect(result.changed).toBe(true);
    const platform = routes.find((r) => r.teamName === 'Platform');
    expect(result.changes.map((c) => `${c.change} ${c.path}`)).toEqual([
      'updated thresholds',
      'updated channels.slack.enabled',
      `updated routes.${infra?.id ?? ''}`,
      expect.stringMatching(/^created routes\.route-[0-9a-f]{24}$/),
      `deleted routes.${platform?.id ?? ''}`,
    ]);
    expect(result.warnings).toEqual([expect.stringContaining('set its URL again')]);
    expectNoSecret(reply.text);

    const after = await exported();
    expect(after.thresholds).toEqual(desired.thresholds);
    expect(after.channels).toEqual(
      expect.arrayContaining([
        { type: 'slack', enabled: false },
        { type: 'webhook', enabled: true },
      ]),
    );
    const afterRoutes = after.routes as { teamName: string; webhookConfigured: boolean }[];
    // The renamed route keeps its webhook; the new one has none until its URL is set again.
    expect(afterRoutes.map((r) => [r.teamName, r.webhookConfigured]).sort()).toEqual([
      ['Dev', false],
      ['Infrastructure', true],
    ]);
    // The stored SMTP credentials and channel secrets survived: the views still say they are set.
    const smtp = (await call(admin, 'GET', '/api/smtp-config')).json as { credentialsConfigured: boolean };
    expect(smtp.credentialsConfigured).toBe(true);
    const hooks = (await call(admin, 'GET', '/api/webhook-config')).json as {
      channels: { channelType: string; configured: boolean }[];
    };
    expect(
      hooks.channels
        .filter((c) => c.configured)
        .map((c) => c.channelType)
        .sort(),
    ).toEqual(['slack', 'webhook']);
  });
});

describe('audit entries for each change of state', () => {
  /** Runs `act` with a fresh correlation id and returns the entries of `action` it appended. */
  async function appended(
    action: string,
    act: (correlationId: string) => Promise<Reply>,
    status: number,
    correlated = true,
  ): Promise<AuditEntry[]> {
    const correlationId = `pt-${randomUUID()}`;
    const before = (await auditEntries(action)).length;
    const reply = await act(correlationId);
    expect({ action, status: reply.status, text: reply.text.slice(0, 200) }).toMatchObject({ status });
    const entries = await auditEntries(action);
    expect(entries).toHaveLength(before + 1);
    const latest = entries.slice(before);
    expect(latest.map((e) => e.outcome)).toEqual(['success']);
    if (correlated) expect(latest[0]?.correlationId).toBe(correlationId);
    return latest;
  }

  // The local EasyAuth principal's name claim is the email; the id is the principal's object id.
  const ada = { type: 'user', name: 'ada@example.com' };
  const adaWithId = () => ({ ...ada, id: adaId });

  it('API keys: created and revoked, by id, never the key', async () => {
    let id = '';
    const [created] = await appended(
      'apiKey.created',
      async (c) => {
        const reply = await call(admin, 'POST', '/api/keys', { name: 'ci', role: 'reader' }, c);
        id = (reply.json as { id: string }).id;
        return reply;
      },
      201,
    );
    expect(adaId).not.toBe('');
    expect(created).toMatchObject({ actor: adaWithId(), details: { keyId: id, name: 'ci', role: 'reader' } });
    const [revoked] = await appended(
      'apiKey.revoked',
      (c) => call(admin, 'DELETE', `/api/keys/${id}`, undefined, c),
      204,
    );
    expect(revoked).toMatchObject({ actor: ada, details: { keyId: id } });
  });

  it('roles: set and removed, with the API key as actor when a key did it', async () => {
    const keyId = apiKey.split('_')[1] ?? '';
    const [set] = await appended(
      'role.assigned',
      (c) => call(`Bearer ${apiKey}`, 'PUT', '/api/users/bob@example.com', { role: 'operator' }, c),
      200,
    );
    expect(set).toMatchObject({
      actor: { type: 'apiKey', name: 'automation' },
      details: { userId: 'bob@example.com', role: 'operator', previousRole: null },
    });
    expect(set?.actor.id).toBe(`apikey:${keyId}`);
    const [removed] = await appended(
      'role.removed',
      (c) => call(admin, 'DELETE', '/api/users/bob@example.com', undefined, c),
      204,
    );
    expect(removed).toMatchObject({ actor: ada, details: { userId: 'bob@example.com', previousRole: 'operator' } });
  });

  it('settings: PUT and DELETE /api/settings/{category}/{key} with old and new values', async () => {
    const value = { owner: 'custodian', team: 'squad' };
    const [put] = await appended(
      'settings.updated',
      (c) => call(admin, 'PUT', '/api/settings/notify/tagNames', { value }, c),
      200,
      // The notification settings service (not this feature) does not pass the correlation id yet.
      false,
    );
    expect(put).toMatchObject({
      actor: ada,
      details: { setting: 'notify.tagNames', newValue: value, oldValue: { owner: 'owner', team: 'team' } },
    });
    const [reset] = await appended(
      'settings.updated',
      (c) => call(admin, 'DELETE', '/api/settings/notify/tagNames', undefined, c),
      200,
      false,
    );
    expect(reset).toMatchObject({ details: { oldValue: value, newValue: { owner: 'owner', team: 'team' } } });
  });

  it('import and export: one entry each, the import listing its changes', async () => {
    const [exportEntry] = await appended(
      'config.exported',
      (c) => call(operator, 'GET', '/api/export', undefined, c),
      200,
    );
    expect(exportEntry).toMatchObject({ actor: { type: 'user', name: 'otto@example.com' } });
    const document = (await call(admin, 'GET', '/api/export')).json as Record<string, unknown>;
    const changed = { ...document, reminderModes: { warning: 'once', severe: 'weekly', critical: 'every_scan' } };
    const [importEntry] = await appended('config.imported', (c) => call(admin, 'POST', '/api/import', changed, c), 200);
    expect(importEntry).toMatchObject({
      actor: ada,
      details: { changeCount: 1, changes: [{ path: 'reminderModes', change: 'updated', to: changed.reminderModes }] },
    });
  });

  it('the trial start: exactly one entry, by the system', async () => {
    const entries = await auditEntries('license.trialStarted');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { type: 'system' }, outcome: 'success', details: { tier: 'trial' } });
  });

  it('no audit entry holds a seeded secret', async () => {
    expectNoSecret(JSON.stringify(await auditEntries()));
  });
});
