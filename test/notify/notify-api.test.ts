import { publishEvent } from '../support/events';
import { ServiceBusClient } from '@azure/service-bus';
import { TableClient } from '@azure/data-tables';
import { startMailSink, type RunningMailSink } from '../../dev/mail/mail-sink';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../dev/webhook-receiver/webhook-receiver';
import { createInventoryStore, INVENTORY_TABLE } from '../../shared/inventory/inventory-store';
import type { InventoryItem } from '../../shared/inventory/inventory-item';
import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';
import { inventoryItem } from '../../dev/fixtures/inventory-fixture';

// The notification API and the scan → notification path through the local Functions host (compiled app, run
// `npm run build` first), with Azurite, the Service Bus emulator, a real SMTP sink and a real webhook receiver.
let stack: KeywardStack;
let mail: RunningMailSink;
let receiver: RunningWebhookReceiver;
let admin: string;
const presetSecret = generateWebhookSecret();
const channelSecret = generateWebhookSecret();
const SLACK_PATH = '/slack/T0SECRET/B0SECRET/XXXXSLACKTOKEN';
const ROUTE_PATH = '/teams/route-hook-TOKEN123';
const ROUTING_KEY = 'PDROUTINGKEY4242424242424242abcd';
const SMTP_PASSWORD = 'api-smtp-password-9Kq';

beforeAll(async () => {
  mail = await startMailSink();
  receiver = await startWebhookReceiver({ secret: presetSecret });
  stack = await startKeywardStack({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.smtpPort),
      SMTP_SECURITY: 'starttls',
      NOTIFY_DEFAULT_EMAIL: 'security@contoso.example',
      NOTIFY_OWNER_DOMAINS: 'contoso.example',
      NOTIFY_WEBHOOK_URL: `${receiver.url}/preset`,
      NOTIFY_WEBHOOK_SECRET: presetSecret,
      NOTIFY_RETRY_BASE_SECONDS: '1',
      NOTIFY_RETRY_MAX_SECONDS: '1',
      PAGERDUTY_EVENTS_URL: `${receiver.url}/pagerduty`,
    },
  });
  admin = await stack.signIn({ email: 'admin@contoso.example', name: 'Ada Admin', roles: ['admin'] });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([mail?.stop(), receiver?.stop()]);
});

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: unknown }> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { cookie: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : null };
}

const secrets = () => [
  SLACK_PATH,
  'XXXXSLACKTOKEN',
  ROUTE_PATH,
  'route-hook-TOKEN123',
  ROUTING_KEY,
  SMTP_PASSWORD,
  presetSecret,
  channelSecret,
  receiver.url + '/preset',
];

/** Polls (bounded) until the condition holds: positive evidence instead of a fixed wait. */
async function waitForOutput(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('VaultGuard360 settings endpoints', () => {
  it('thresholds: validated (warning > severe > critical ≥ 1), saved, read back', async () => {
    expect((await api('POST', '/api/thresholds', { warningDays: 10, severeDays: 14, criticalDays: 5 })).status).toBe(
      400,
    );
    expect((await api('POST', '/api/thresholds', { warningDays: 30, severeDays: 14, criticalDays: 0 })).status).toBe(
      400,
    );
    expect((await api('POST', '/api/thresholds', { warningDays: 30, severeDays: 14, criticalDays: 5 })).json).toEqual({
      warningDays: 30,
      severeDays: 14,
      criticalDays: 5,
    });
    expect((await api('GET', '/api/thresholds')).json).toEqual({ warningDays: 30, severeDays: 14, criticalDays: 5 });
  });

  it('general settings and reminder modes round-trip; effective settings show the source', async () => {
    const general = {
      notificationEmail: 'sec@contoso.example, ops@contoso.example',
      days30Enabled: true,
      days14Enabled: false,
      days7Enabled: true,
    };
    expect((await api('POST', '/api/settings', general)).json).toEqual(general);
    expect((await api('GET', '/api/settings')).json).toEqual(general);
    expect((await api('POST', '/api/settings', { ...general, notificationEmail: 'not-an-email' })).status).toBe(400);
    const modes = { warning: 'daily', severe: 'every_scan', critical: 'every_scan' };
    expect((await api('POST', '/api/reminder-mode', modes)).json).toEqual(modes);
    expect((await api('POST', '/api/reminder-mode', { ...modes, warning: 'hourly' })).status).toBe(400);
    const effective = (await api('GET', '/api/settings/effective')).json as {
      settings: { category: string; key: string; source: string; value: unknown }[];
    };
    const find = (category: string, key: string) =>
      effective.settings.find((s) => s.category === category && s.key === key);
    expect(find('notify', 'reminderModes')).toMatchObject({ source: 'table', value: modes });
    expect(find('notify', 'tagNames')).toMatchObject({ source: 'default', value: { owner: 'owner', team: 'team' } });
    expect(find('appSettings', 'SMTP_PASSWORD')).toMatchObject({ source: 'default', value: '' });
    expect(find('appSettings', 'NOTIFY_WEBHOOK_SECRET')).toMatchObject({ source: 'appSetting', value: '********' });
    // PUT/DELETE a setting: the table layer wins, then the default applies again.
    expect(
      (await api('PUT', '/api/settings/notify/tagNames', { value: { owner: 'kw-owner', team: 'kw-team' } })).json,
    ).toMatchObject({ source: 'table' });
    expect((await api('PUT', '/api/settings/notify/tagNames', { value: { owner: '' } })).status).toBe(400);
    expect((await api('DELETE', '/api/settings/notify/tagNames')).json).toMatchObject({
      source: 'default',
      value: { owner: 'owner', team: 'team' },
    });
    expect((await api('PUT', '/api/settings/notify/nope', { value: 1 })).status).toBe(404);
    expect((await api('POST', '/api/settings', { ...general, days14Enabled: true })).status).toBe(200);
  });
});

describe('routes, channels and email configuration', () => {
  it('refuses a metadata or private URL at save time without echoing it', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.8/hook-SECRETX',
      'http://[fd00:ec2::254]/x',
    ]) {
      const answer = await api('POST', '/api/routes', { subscriptionId: '*', teamName: 'Evil', webhookUrl: url });
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain('SECRETX');
      expect(answer.text).not.toContain(url);
    }
  });

  it('saves routes, channels and SMTP credentials; tests them through the real receiver and mail sink', async () => {
    const route = await api('POST', '/api/routes', {
      subscriptionId: 'sub-prod',
      subscriptionName: 'Production',
      teamName: 'Infra',
      notificationEmail: 'infra@contoso.example',
      webhookUrl: `${receiver.url}${ROUTE_PATH}`,
    });
    expect(route.json).toMatchObject({ subscriptionId: 'sub-prod', teamName: 'Infra', webhookConfigured: true });
    expect(
      (
        await api('POST', '/api/routes', {
          subscriptionId: '*',
          teamName: 'Platform',
          notificationEmail: 'platform@contoso.example',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('POST', '/api/webhook-config', {
          channelType: 'slack',
          enabled: true,
          url: `${receiver.url}${SLACK_PATH}`,
        })
      ).json,
    ).toMatchObject({ channelType: 'slack', enabled: true, configured: true });
    expect(
      (await api('POST', '/api/webhook-config', { channelType: 'pagerduty', enabled: true, routingKey: ROUTING_KEY }))
        .json,
    ).toMatchObject({ configured: true });
    expect(
      (await api('POST', '/api/webhook-config', { channelType: 'webhook', enabled: true, secret: 'not-a-whsec' }))
        .status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/api/smtp-config', {
          provider: 'smtp',
          host: '127.0.0.1',
          port: mail.smtpPort,
          security: 'starttls',
          fromAddress: 'keyward@contoso.example',
          username: 'kw',
          password: SMTP_PASSWORD,
        })
      ).json,
    ).toMatchObject({ credentialsConfigured: true, activeProvider: 'smtp', source: 'table' });

    const before = receiver.deliveries().length;
    expect((await api('POST', '/api/webhook-config/test', { channelType: 'slack' })).json).toEqual({
      channelType: 'slack',
      success: true,
      message: 'Test notification sent.',
    });
    const slack = receiver.deliveries()[before];
    expect(slack?.path).toBe(SLACK_PATH);
    expect(JSON.stringify(slack?.json)).toContain('[Test]');
    const mails = mail.messages().length;
    expect((await api('POST', '/api/smtp/test', { testEmail: 'tester@contoso.example' })).json).toMatchObject({
      success: true,
    });
    const [sent] = (await mail.waitFor(mails + 1)).slice(mails);
    expect(sent).toMatchObject({ to: ['tester@contoso.example'], secure: true, user: 'kw' });
    // The preset generic webhook (app settings) is signed; the receiver verifies with the reference library.
    const all = (await api('POST', '/api/test-notification')).json as {
      results: { channelType: string; success: boolean }[];
    };
    expect(all.results).toEqual(
      expect.arrayContaining([{ channelType: 'webhook', success: true, message: 'Test notification sent.' }]),
    );
    expect(receiver.deliveries().find((d) => d.path === '/preset')?.signatureValid).toBe(true);
  });

  it('history lists the test deliveries with status and attempts, filtered', async () => {
    const all = (await api('GET', '/api/alerts/history')).json as {
      deliveries: { channel: string; status: string; attempts: number; test: boolean }[];
    };
    expect(all.deliveries.length).toBeGreaterThanOrEqual(3);
    expect(all.deliveries.every((d) => d.test && d.attempts === 1)).toBe(true);
    const slack = (await api('GET', '/api/alerts/history?channel=slack&status=sent')).json as { deliveries: unknown[] };
    expect(slack.deliveries.length).toBeGreaterThanOrEqual(1);
    const future = (await api('GET', '/api/alerts/history?start_date=2999-01-01T00:00:00Z')).json as {
      deliveries: unknown[];
    };
    expect(future.deliveries).toEqual([]);
  });

  it('alert rules: create, patch, test, delete', async () => {
    const created = await api('POST', '/api/alerts/rules', {
      name: 'Critical to on-call',
      alertType: 'secret_expiring',
      thresholdDays: 7,
      deliveryMethod: 'email',
      deliveryMode: 'immediate',
      recipients: ['oncall@contoso.example'],
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    expect((await api('PATCH', `/api/alerts/rules/${id}`, { thresholdDays: 5 })).json).toMatchObject({
      id,
      thresholdDays: 5,
      recipients: ['oncall@contoso.example'],
    });
    expect((await api('PATCH', `/api/alerts/rules/${id}`, { recipients: [] })).status).toBe(400);
    expect((await api('POST', `/api/alerts/rules/${id}/test`)).json).toMatchObject({
      channelType: 'email',
      success: true,
    });
    expect((await api('GET', '/api/alerts/rules')).json).toMatchObject({
      rules: [{ id, name: 'Critical to on-call' }],
    });
    expect((await api('DELETE', `/api/alerts/rules/${id}`)).status).toBe(204);
    expect((await api('DELETE', `/api/alerts/rules/${id}`)).status).toBe(404);
  });
});

describe('after a scan: reminders reach the routed team through the queues', () => {
  const now = new Date();
  const item = (
    name: string,
    days: number,
    vault: string,
    subscriptionId: string,
    tags: Record<string, string> = {},
  ): InventoryItem =>
    inventoryItem(`${subscriptionId}_${vault}`, `secret_${name}`, {
      expiresOn: new Date(now.getTime() + days * 86_400_000 + 3_600_000).toISOString(),
      vaultName: vault,
      vaultTags: tags,
      subscriptionId,
      subscriptionName: subscriptionId === 'sub-prod' ? 'Production' : 'Dev',
      lastSeenScanId: 'scan-e2e',
      // What the scan's close stores (default thresholds 30/14/7 days): notifications read it, never classify.
      severity: days <= 7 ? 'critical' : days <= 14 ? 'severe' : days <= 30 ? 'warning' : 'healthy',
    });

  it('routes by tag, subscription and *, signs the webhook, pages PagerDuty, and a second delivery of the scan sends nothing new', async () => {
    const inventory = createInventoryStore(async () => {
      const client = TableClient.fromConnectionString(stack.azurite.connectionString, INVENTORY_TABLE, {
        allowInsecureConnection: true,
      });
      await client.createTable().catch(() => undefined);
      return client;
    });
    await inventory.replacePartition('sub-prod_kv-prod', [
      item('db-password', 3, 'kv-prod', 'sub-prod'),
      item('api-key', 40, 'kv-prod', 'sub-prod'),
    ]);
    await inventory.replacePartition('sub-dev_kv-dev', [item('dev-cert', 20, 'kv-dev', 'sub-dev')]);
    await inventory.replacePartition('sub-dev_kv-team', [
      item('team-secret', 10, 'kv-team', 'sub-dev', { owner: 'owner@contoso.example' }),
    ]);
    const mailsBefore = mail.messages().length;
    const hooksBefore = receiver.deliveries().length;

    const completed = {
      scanId: 'scan-e2e',
      completedAt: now.toISOString(),
      durationSeconds: 1,
      vaults: 3,
      totalItems: 4,
      itemsLeftOut: 0,
      bySeverity: { healthy: 1, warning: 1, severe: 1, critical: 1, expired: 0, noExpiry: 0 },
      outcomes: { ok: 3 },
      unreachablePartitions: [],
    };
    const publish = (id: string) =>
      publishEvent(stack.serviceBus.connectionString, 'scan.completed', id, completed, 'corr-e2e', now);
    await publish('scan.completed:scan-e2e:1');

    // Three emails (Platform by * with the tag's owner added, Infra by subscription, Platform by *); the Infra
    // route hook; Slack ×3 teams; the preset webhook ×3 teams; PagerDuty for the severe and the critical item.
    const mails = (await mail.waitFor(mailsBefore + 3, 60_000)).slice(mailsBefore);
    expect(mails.map((m) => [...m.to].sort().join(',')).sort()).toEqual([
      'infra@contoso.example',
      'owner@contoso.example,platform@contoso.example',
      'platform@contoso.example',
    ]);
    expect(mails.find((m) => m.to[0] === 'infra@contoso.example')?.text).toContain(
      'db-password (secret) in kv-prod — critical, 3 days left',
    );
    const hooks = (await receiver.waitFor(hooksBefore + 9, 60_000)).slice(hooksBefore);
    const signed = hooks.filter((h) => h.path === '/preset');
    expect(signed).toHaveLength(3);
    expect(signed.every((h) => h.signatureValid === true)).toBe(true);
    expect(signed.map((h) => (h.json as { data: { teamName: string } }).data.teamName).sort()).toEqual([
      'Infra',
      'Platform',
      'owner@contoso.example',
    ]);
    expect(hooks.filter((h) => h.path === ROUTE_PATH)).toHaveLength(1);
    expect(hooks.filter((h) => h.path === SLACK_PATH)).toHaveLength(3);
    const paged = hooks.filter((h) => h.path === '/pagerduty');
    expect(
      paged.map((h) => (h.json as { event_action: string; payload: { component: string } }).payload.component).sort(),
    ).toEqual(['db-password', 'team-secret'].sort());

    // The same scan delivered again (another message id) evaluates to the same delivery keys: nothing new goes out.
    const settled = receiver.deliveries().length;
    await publish('scan.completed:scan-e2e:2');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(receiver.deliveries().length).toBe(settled);
  });

  it('a rotation_failed alert raised by another feature reaches Slack and the signed webhook once, with its correlation id, and shows in the history', async () => {
    const hooksBefore = receiver.deliveries().length;
    const alert = {
      alertType: 'rotation_failed' as const,
      subject: 'rotation of payments-api secret failed',
      severity: 'critical' as const,
      facts: { application: 'payments-api', step: 'verify', attempts: 3 },
      dedupKey: 'rotation:rot-42:failed',
      subscriptionId: 'sub-prod',
      tags: {},
    };
    await publishEvent(stack.serviceBus.connectionString, 'alert.raised', 'alert:rot-42:1', alert, 'corr-rot-42');

    const isRotation = (h: { json: unknown }): boolean => JSON.stringify(h.json).includes('payments-api');
    const arrived = () => receiver.deliveries().slice(hooksBefore).filter(isRotation);
    await waitForOutput(() => ['/preset', SLACK_PATH].every((path) => arrived().some((h) => h.path === path)));
    const hooks = arrived();
    const slack = hooks.filter((h) => h.path === SLACK_PATH);
    const signed = hooks.filter((h) => h.path === '/preset');
    expect(slack).toHaveLength(1);
    expect(JSON.stringify(slack[0]?.json)).toContain('rotation of payments-api secret failed');
    expect(signed).toHaveLength(1);
    expect(signed[0]?.signatureValid).toBe(true);
    const data = (signed[0]?.json as { type: string; data: { alert: { facts: Record<string, unknown> } } }).data;
    expect((signed[0]?.json as { type: string }).type).toBe('keyward.rotation_failed');
    expect(data.alert.facts).toEqual(alert.facts);
    expect(hooks.every((h) => h.headers['x-correlation-id'] === 'corr-rot-42')).toBe(true);

    // The same alert raised again (a new event, the same dedup key): the host handles it, nothing more is sent.
    const settled = receiver.deliveries().filter(isRotation).length;
    await publishEvent(stack.serviceBus.connectionString, 'alert.raised', 'alert:rot-42:2', alert, 'corr-rot-42');
    await waitForOutput(() => stack.host.output().includes('alert rotation_failed (alert:rot-42:2)'));
    // Positive evidence that each repeat was consumed, not silence after a wait: every delivery of the first alert
    // was planned again under the same key, and the broker dropped it as a duplicate (or the worker skipped it).
    const first = (await api('GET', '/api/alerts/history?correlation_id=corr-rot-42')).json as {
      deliveries: { deliveryId: string }[];
    };
    expect(first.deliveries.length).toBeGreaterThanOrEqual(2);
    const consumed = (id: string): boolean =>
      stack.serviceBus.droppedDuplicates().some((d) => d.messageId === id) ||
      stack.host.output().includes(`Delivery ${id} skipped:`);
    await waitForOutput(() => first.deliveries.every((d) => consumed(d.deliveryId)));
    expect(receiver.deliveries().filter(isRotation)).toHaveLength(settled);

    const history = await api('GET', '/api/alerts/history?correlation_id=corr-rot-42');
    expect(history.status).toBe(200);
    const deliveries = (history.json as { deliveries: { channel: string; alertType: string; status: string }[] })
      .deliveries;
    expect(deliveries.every((d) => d.alertType === 'rotation_failed')).toBe(true);
    expect(deliveries.filter((d) => d.channel === 'slack' && d.status === 'sent')).toHaveLength(1);
    expect(deliveries.filter((d) => d.channel === 'webhook' && d.status === 'sent')).toHaveLength(1);
  });

  it('an alert rule of a type no feature raises yet is refused with the types that work', async () => {
    const response = await api('POST', '/api/alerts/rules', {
      name: 'B2C credentials',
      alertType: 'b2c_credentials_expiring',
      deliveryMethod: 'email',
      recipients: ['ops@contoso.example'],
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('secret_expiring, secret_expired, scan_completed, vault_error');
    const rules = (await api('GET', '/api/alerts/rules')).json as { rules?: { alertType: string }[] } | unknown[];
    expect(JSON.stringify(rules)).not.toContain('B2C credentials');
  });

  it('snooze and unsnooze are audited; no GET response, log line or audit entry holds a URL, secret or password', async () => {
    const id = 'sub-prod_kv-prod~secret_db-password';
    expect(
      (
        await api('POST', `/api/expiring-items/${encodeURIComponent(id)}/snooze`, {
          until: '2099-01-01T00:00:00Z',
          reason: 'rotation planned',
        })
      ).json,
    ).toMatchObject({ itemId: id, reason: 'rotation planned' });
    expect(
      (
        await api('POST', `/api/expiring-items/${encodeURIComponent(id)}/snooze`, {
          until: '2000-01-01T00:00:00Z',
          reason: 'past',
        })
      ).status,
    ).toBe(400);
    expect((await api('DELETE', `/api/expiring-items/${encodeURIComponent(id)}/snooze`)).status).toBe(204);
    expect((await api('DELETE', `/api/expiring-items/${encodeURIComponent(id)}/snooze`)).status).toBe(404);

    const gets = [
      '/api/routes',
      '/api/webhook-config',
      '/api/smtp-config',
      '/api/settings',
      '/api/settings/effective',
      '/api/alerts/rules',
      '/api/alerts/history',
      '/api/thresholds',
      '/api/reminder-mode',
    ];
    const audit = await api('GET', '/api/audit?limit=200');
    expect(audit.status).toBe(200);
    const actions = (audit.json as { entries: { action: string }[] }).entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'route.created',
        'channel.created',
        'channel.updated',
        'channel.tested',
        'settings.thresholds.updated',
        'settings.updated',
        'snooze.created',
        'snooze.removed',
        'alertRule.created',
        'notification.sent',
      ]),
    );
    const texts = [
      ...(await Promise.all(gets.map(async (path) => (await api('GET', path)).text))),
      audit.text,
      stack.host.output(),
    ];
    for (const secret of secrets()) for (const text of texts) expect(text).not.toContain(secret);
  });
});

describe('delivery messages through the broker', () => {
  const slackMessage = (deliveryKey: string) => ({
    v: 1,
    deliveryKey,
    channel: 'slack',
    destination: { kind: 'channel', channel: 'slack' },
    alertType: 'secret_expiring',
    teamName: 'Infra',
    scanId: 'scan-broker',
    createdAt: new Date().toISOString(),
    events: [],
    test: false,
  });

  it('the same delivery sent twice (same message id, then a new one) reaches the endpoint once', async () => {
    const bus = new ServiceBusClient(stack.serviceBus.connectionString);
    const sender = bus.createSender('notify-slack');
    const body = slackMessage('nd-slack-broker-once');
    const before = receiver.deliveries().filter((d) => d.path === SLACK_PATH).length;
    await sender.sendMessages({ messageId: body.deliveryKey, body, contentType: 'application/json' });
    await sender.sendMessages({ messageId: body.deliveryKey, body, contentType: 'application/json' });
    await sender.sendMessages({ messageId: `${body.deliveryKey}-copy`, body, contentType: 'application/json' });
    // Positive evidence for each copy, not silence after a wait: the broker records the same-id copy it dropped,
    // and the worker logs the new-id copy it skipped because the delivery record already says sent.
    expect(stack.serviceBus.droppedDuplicates()).toContainEqual({
      entity: 'notify-slack',
      messageId: body.deliveryKey,
    });
    await waitForOutput(() => stack.host.output().includes(`Delivery ${body.deliveryKey} skipped:`));
    expect(receiver.deliveries().filter((d) => d.path === SLACK_PATH).length - before).toBe(1);
    await bus.close();
  });

  it('a failing endpoint is tried 6 times with backoff, then the message is dead-lettered; history shows every attempt', async () => {
    const flaky = await startWebhookReceiver();
    try {
      flaky.respondWith(...Array.from({ length: 6 }, () => ({ status: 503 })));
      expect(
        (await api('POST', '/api/webhook-config', { channelType: 'slack', enabled: true, url: `${flaky.url}/down` }))
          .status,
      ).toBe(200);
      const bus = new ServiceBusClient(stack.serviceBus.connectionString);
      const body = slackMessage('nd-slack-broker-down');
      await bus
        .createSender('notify-slack')
        .sendMessages({ messageId: body.deliveryKey, body, contentType: 'application/json' });
      await flaky.waitFor(6, 90_000);
      const dlq = bus.createReceiver('notify-slack', { subQueueType: 'deadLetter' });
      const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 30_000 });
      expect(dead?.messageId).toBe(body.deliveryKey);
      if (dead) await dlq.completeMessage(dead);
      await bus.close();
      const history = (await api('GET', '/api/alerts/history?status=dead_lettered&channel=slack')).json as {
        deliveries: { deliveryId: string; attempts: number; lastError: string }[];
      };
      expect(history.deliveries).toContainEqual(
        expect.objectContaining({ deliveryId: body.deliveryKey, attempts: 6, lastError: 'Endpoint answered HTTP 503' }),
      );
      expect(flaky.deliveries()).toHaveLength(6);
    } finally {
      await flaky.stop();
    }
  });
});
