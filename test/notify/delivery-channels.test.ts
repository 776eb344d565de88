import { createHmac } from 'node:crypto';
import { startMailSink } from '../../dev/mail/mail-sink';
import { RetryDeliveryError } from '../../shared/notify/delivery-worker';
import { pagerDutyDedupKey } from '../../shared/notify/channel-payloads';
import { delivery, event, SMTP_PASSWORD, SMTP_USER, startNotifyFixture, type NotifyFixture } from './notify-fixture';

// Real parts: Azurite for the stores, an SMTP server (STARTTLS + AUTH) and an HTTP receiver on loopback ports
// the OS picked. The worker runs in local mode (http to loopback allowed), as `npm start` does.
let fx: NotifyFixture;
beforeAll(async () => {
  fx = await startNotifyFixture();
});
afterAll(async () => fx.stop());

const received = () => fx.receiver.deliveries();
const last = () => {
  const all = received();
  const found = all[all.length - 1];
  if (!found) throw new Error('no delivery received');
  return found;
};

describe('email over SMTP', () => {
  it('STARTTLS with authentication: one email with a readable table, HTML and text', async () => {
    const { config, worker } = fx.build();
    await config.saveEmailConfig({
      provider: 'smtp',
      host: '127.0.0.1',
      port: fx.mail.smtpPort,
      security: 'starttls',
      fromAddress: 'keyward@contoso.example',
      fromName: 'Keyward',
      username: SMTP_USER,
      password: SMTP_PASSWORD,
    });
    const before = fx.mail.messages().length;
    const message = delivery({
      channel: 'email',
      destination: { kind: 'email', to: ['infra@contoso.example', 'oncall@contoso.example'] },
      events: [event('db-password', 3), event('api-key', 12, 'severe'), event('old-cert', -2, 'expired')],
    });
    await expect(worker(message, 1)).resolves.toBe('sent');
    const [mail] = (await fx.mail.waitFor(before + 1)).slice(before);
    expect(mail).toMatchObject({ secure: true, user: SMTP_USER, from: 'keyward@contoso.example' });
    expect(mail?.to).toEqual(['infra@contoso.example', 'oncall@contoso.example']);
    expect(mail?.subject).toBe('Keyward: 3 item(s) expiring or expired (expired)');
    expect(mail?.html).toContain('<table');
    expect(mail?.html).toContain('<td style="padding:4px 8px">db-password</td>');
    expect(mail?.text).toContain('- db-password (secret) in kv-prod — critical, 3 days left');
    expect(mail?.text).toContain('- old-cert (secret) in kv-prod — expired, expired 2 days ago');
    // The most urgent item comes first.
    expect(mail?.text.indexOf('old-cert')).toBeLessThan(mail?.text.indexOf('api-key') ?? 0);
  });

  it('relay mode: no authentication, no TLS (an internal relay on port 25)', async () => {
    const relay = await startMailSink({ startTls: false });
    try {
      const { config, worker } = fx.build();
      await config.saveEmailConfig({
        provider: 'smtp',
        host: '127.0.0.1',
        port: relay.smtpPort,
        security: 'none',
        fromAddress: 'k@contoso.example',
        fromName: 'Keyward',
        username: '',
        password: '',
      });
      await worker(delivery({ channel: 'email', destination: { kind: 'email', to: ['a@contoso.example'] } }), 1);
      const [mail] = await relay.waitFor(1);
      expect(mail).toMatchObject({ secure: false, user: null, to: ['a@contoso.example'] });
    } finally {
      await relay.stop();
    }
  });

  it('past 50 items the email lists the first 50 and summarises the rest', async () => {
    const { config, worker } = fx.build();
    await config.saveEmailConfig({
      provider: 'smtp',
      host: '127.0.0.1',
      port: fx.mail.smtpPort,
      security: 'starttls',
      fromAddress: 'k@contoso.example',
      fromName: 'Keyward',
      username: SMTP_USER,
      password: SMTP_PASSWORD,
    });
    const before = fx.mail.messages().length;
    const events = Array.from({ length: 57 }, (_, i) => event(`secret-${String(i).padStart(2, '0')}`, 20, 'warning'));
    await worker(delivery({ channel: 'email', destination: { kind: 'email', to: ['a@contoso.example'] }, events }), 1);
    const [mail] = (await fx.mail.waitFor(before + 1)).slice(before);
    expect(mail?.html.match(/<tr>/g)).toHaveLength(1 + 50);
    expect(mail?.text).toContain('…and 7 more (57 in total)');
  });

  it('a wrong SMTP password fails permanently and the password appears nowhere', async () => {
    const { config, worker, deliveries } = fx.build();
    await config.saveEmailConfig({
      provider: 'smtp',
      host: '127.0.0.1',
      port: fx.mail.smtpPort,
      security: 'starttls',
      fromAddress: 'k@contoso.example',
      fromName: 'Keyward',
      username: SMTP_USER,
      password: 'wrong-password-Xy9',
    });
    const message = delivery({ channel: 'email', destination: { kind: 'email', to: ['a@contoso.example'] } });
    await expect(worker(message, 1)).resolves.toBe('failed');
    const record = await deliveries.get(message.deliveryKey);
    expect(record?.status).toBe('failed');
    expect(record?.lastError).toMatch(/SMTP send failed \(EAUTH/);
    const everything = JSON.stringify([fx.logs, fx.audits, record, await deliveries.attempts(message.deliveryKey)]);
    expect(everything).not.toContain('wrong-password-Xy9');
    expect(everything).not.toContain(SMTP_PASSWORD);
  });
});

describe('generic webhook, signed per Standard Webhooks', () => {
  it('delivers the versioned payload; the signature verifies with the reference library and by recomputing the HMAC', async () => {
    const { config, worker } = fx.build();
    await config.saveChannel({
      channelType: 'webhook',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/hooks/keyward`, secret: fx.webhookSecret },
    });
    const message = delivery({ channel: 'webhook', destination: { kind: 'channel', channel: 'webhook' } });
    await worker(message, 1);
    const got = last();
    expect(got.path).toBe('/hooks/keyward');
    expect(got.signatureValid).toBe(true);
    expect(got.headers['webhook-id']).toBe(message.deliveryKey);
    // Independent check: HMAC-SHA256 over "id.timestamp.body" with the base64-decoded secret.
    const key = Buffer.from(fx.webhookSecret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.${got.body}`)
      .digest('base64');
    expect(got.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(got.json).toMatchObject({
      type: 'keyward.secret_expiring',
      version: 1,
      timestamp: message.createdAt,
      data: {
        deliveryId: message.deliveryKey,
        teamName: 'Infra',
        items: [
          { name: 'db-password', vaultName: 'kv-prod', severity: 'critical', daysRemaining: 3, action: 'trigger' },
        ],
      },
    });
  });

  it('the same delivery message handled twice sends once', async () => {
    const { config, worker, deliveries } = fx.build();
    await config.saveChannel({
      channelType: 'webhook',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/twice`, secret: fx.webhookSecret },
    });
    const message = delivery({ channel: 'webhook', destination: { kind: 'channel', channel: 'webhook' } });
    await expect(worker(message, 1)).resolves.toBe('sent');
    await expect(worker(message, 2)).resolves.toBe('duplicate');
    expect(received().filter((d) => d.path === '/twice')).toHaveLength(1);
    expect((await deliveries.get(message.deliveryKey))?.status).toBe('sent');
  });

  it('a copy handled while the first is still sending does not take it over; a redelivery (later attempt) does', async () => {
    const { deliveries } = fx.build();
    const message = delivery({ channel: 'webhook', destination: { kind: 'channel', channel: 'webhook' } });
    const record = (attempts: number) => ({
      deliveryKey: message.deliveryKey,
      channel: message.channel,
      target: 'webhook',
      teamName: message.teamName,
      alertType: message.alertType,
      itemCount: 1,
      test: false,
      correlationId: '',
      attempts,
      createdAt: new Date().toISOString(),
    });
    expect(await deliveries.claim(record(1))).toBe('claimed');
    // The same delivery under another message id, while the first handler's send is in flight: it must not send.
    expect(await deliveries.claim(record(1))).toBe('claimed_elsewhere');
    // The broker redelivered the first message (its holder's lock expired: it crashed mid-send): that one may.
    expect(await deliveries.claim(record(2))).toBe('claimed');
    expect(await deliveries.get(message.deliveryKey)).toMatchObject({ status: 'sending', attempts: 2 });
  });
});

describe('retries', () => {
  it('429 with Retry-After waits at least that long, then redelivery succeeds; every attempt is recorded', async () => {
    const { config, worker, deliveries } = fx.build();
    await config.saveChannel({
      channelType: 'slack',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/slack-retry` },
    });
    const message = delivery({ channel: 'slack', destination: { kind: 'channel', channel: 'slack' } });
    fx.receiver.respondWith({ status: 429, headers: { 'retry-after': '42' } });
    fx.sleeps.length = 0;
    await expect(worker(message, 1)).rejects.toBeInstanceOf(RetryDeliveryError);
    expect(fx.sleeps).toEqual([42_000]);
    expect((await deliveries.get(message.deliveryKey))?.status).toBe('retrying');
    await expect(worker(message, 2)).resolves.toBe('sent');
    const attempts = await deliveries.attempts(message.deliveryKey);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, 'failed', 'Endpoint answered HTTP 429'],
      [2, 'sent', null],
    ]);
    expect(await deliveries.get(message.deliveryKey)).toMatchObject({
      status: 'sent',
      attempts: 2,
      channel: 'slack',
      target: 'slack',
    });
  });

  it('5xx backs off exponentially; the last attempt is recorded dead_lettered and left to the broker', async () => {
    const { config, worker, deliveries } = fx.build();
    await config.saveChannel({
      channelType: 'slack',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/slack-down` },
    });
    const message = delivery({ channel: 'slack', destination: { kind: 'channel', channel: 'slack' } });
    fx.sleeps.length = 0;
    for (let attempt = 1; attempt <= 6; attempt++) {
      fx.receiver.respondWith({ status: 503 });
      await expect(worker(message, attempt)).rejects.toBeInstanceOf(RetryDeliveryError);
    }
    expect(fx.sleeps).toEqual([5_000, 10_000, 20_000, 40_000, 60_000]);
    expect(await deliveries.get(message.deliveryKey)).toMatchObject({
      status: 'dead_lettered',
      attempts: 6,
      lastError: 'Endpoint answered HTTP 503',
    });
    expect(await deliveries.attempts(message.deliveryKey)).toHaveLength(6);
  });

  it('a 404 is permanent: recorded failed, completed, not retried', async () => {
    const { config, worker, deliveries } = fx.build();
    await config.saveChannel({
      channelType: 'teams',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/teams-gone` },
    });
    const message = delivery({ channel: 'teams', destination: { kind: 'channel', channel: 'teams' } });
    fx.receiver.respondWith({ status: 404 });
    await expect(worker(message, 1)).resolves.toBe('failed');
    expect((await deliveries.get(message.deliveryKey))?.status).toBe('failed');
  });
});

describe('chat, paging and ticketing channels', () => {
  it('Slack: at most 10 items, then "and N more"', async () => {
    const { config, worker } = fx.build();
    await config.saveChannel({ channelType: 'slack', enabled: true, secrets: { url: `${fx.receiver.url}/slack` } });
    const events = Array.from({ length: 13 }, (_, i) => event(`item-${i}`, 5));
    await worker(delivery({ channel: 'slack', destination: { kind: 'channel', channel: 'slack' }, events }), 1);
    const body = last().json as {
      attachments: { text: string; color: string; fields: { title: string; value: string }[] }[];
    };
    const lines = body.attachments[0]?.text.split('\n') ?? [];
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('…and 3 more');
    expect(body.attachments[0]?.color).toBe('#EF4444');
    expect(body.attachments[0]?.fields).toContainEqual({ title: 'Team', value: 'Infra', short: true });
  });

  it('Teams: an Adaptive Card for Workflows URLs, a MessageCard for legacy connector URLs', async () => {
    const { config, worker } = fx.build();
    await config.saveChannel({
      channelType: 'teams',
      enabled: true,
      teamsFormat: 'workflows',
      secrets: { url: `${fx.receiver.url}/teams` },
    });
    await worker(delivery({ channel: 'teams', destination: { kind: 'channel', channel: 'teams' } }), 1);
    expect(last().json).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }],
    });
    await config.saveChannel({
      channelType: 'teams',
      enabled: true,
      teamsFormat: 'messagecard',
      secrets: { url: `${fx.receiver.url}/teams` },
    });
    await worker(delivery({ channel: 'teams', destination: { kind: 'channel', channel: 'teams' } }), 1);
    expect(last().json).toMatchObject({
      '@type': 'MessageCard',
      themeColor: 'EF4444',
      sections: [{ facts: [{ name: 'db-password' }] }],
    });
  });

  it('PagerDuty Events v2: trigger and resolve share the dedup key of item + level', async () => {
    const { config, worker } = fx.build();
    await config.saveChannel({
      channelType: 'pagerduty',
      enabled: true,
      secrets: { routingKey: 'R0UTINGKEY0000000000000000000000' },
    });
    const trigger = event('db-password', 3, 'critical');
    await worker(
      delivery({ channel: 'pagerduty', destination: { kind: 'channel', channel: 'pagerduty' }, events: [trigger] }),
      1,
    );
    const sent = last();
    expect(sent.path).toBe('/pagerduty/v2/enqueue');
    const dedup = pagerDutyDedupKey(trigger.item.id, 'critical');
    expect(sent.json).toMatchObject({
      routing_key: 'R0UTINGKEY0000000000000000000000',
      event_action: 'trigger',
      dedup_key: dedup,
      payload: { severity: 'critical', source: 'kv-prod', component: 'db-password', class: 'secret_expiring' },
    });
    await worker(
      delivery({
        channel: 'pagerduty',
        destination: { kind: 'channel', channel: 'pagerduty' },
        events: [event('db-password', 3, 'critical', 'resolve')],
      }),
      1,
    );
    expect(last().json).toEqual({
      routing_key: 'R0UTINGKEY0000000000000000000000',
      event_action: 'resolve',
      dedup_key: dedup,
    });
  });

  it('ServiceNow: an incident through the Table API with basic auth and the delivery key as correlation id', async () => {
    const { config, worker } = fx.build();
    await config.saveChannel({
      channelType: 'servicenow',
      enabled: true,
      secrets: { url: `${fx.receiver.url}/`, username: 'svc-keyward', password: 'sn-password-77' },
    });
    const message = delivery({ channel: 'servicenow', destination: { kind: 'channel', channel: 'servicenow' } });
    await worker(message, 1);
    const sent = last();
    expect(sent.path).toBe('/api/now/table/incident');
    expect(sent.hasAuthorization).toBe(true);
    expect(sent.json).toMatchObject({
      urgency: '1',
      impact: '1',
      correlation_id: message.deliveryKey,
      category: 'security',
    });
  });
});

describe('secrets at rest and in records', () => {
  it('channel URLs, signing secrets and passwords are sealed in Table Storage and never logged or audited', async () => {
    const { config, worker, configTable, deliveriesTable } = fx.build();
    const url = `${fx.receiver.url}/sealed/T00SECRETPATH`;
    await config.saveChannel({ channelType: 'webhook', enabled: true, secrets: { url, secret: fx.webhookSecret } });
    await config.saveEmailConfig({
      provider: 'smtp',
      host: '127.0.0.1',
      port: fx.mail.smtpPort,
      security: 'starttls',
      fromAddress: 'k@contoso.example',
      fromName: 'Keyward',
      username: SMTP_USER,
      password: SMTP_PASSWORD,
    });
    await worker(delivery({ channel: 'webhook', destination: { kind: 'channel', channel: 'webhook' } }), 1);
    const raw: unknown[] = [];
    for await (const row of configTable.listEntities()) raw.push(row);
    for await (const row of deliveriesTable.listEntities()) raw.push(row);
    const stored = JSON.stringify(raw);
    expect(stored).toContain('kw1.');
    for (const secret of ['T00SECRETPATH', fx.webhookSecret, fx.webhookSecret.slice(6), SMTP_PASSWORD, SMTP_USER]) {
      expect(stored).not.toContain(secret);
      expect(JSON.stringify(fx.logs)).not.toContain(secret);
      expect(JSON.stringify(fx.audits)).not.toContain(secret);
    }
    expect(fx.audits).toContainEqual(
      expect.objectContaining({ action: 'notification.sent', target: 'webhook: webhook', outcome: 'success' }),
    );
  });
});
