import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { startMailSink, type RunningMailSink } from '../../dev/mail/mail-sink';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../dev/webhook-receiver/webhook-receiver';
import { createSender } from '../../shared/notify/channel-senders';
import { createDeliveryStore, type DeliveryStore } from '../../shared/notify/delivery-store';
import { createDeliveryWorker } from '../../shared/notify/delivery-worker';
import { createSmtpTransport } from '../../shared/notify/email-transports';
import type { NotifyAudit } from '../../shared/notify/notify-audit';
import { createNotifyConfigStore, type NotifyConfigStore } from '../../shared/notify/notify-config-store';
import type { DeliveryMessage, NotifyEvent } from '../../shared/notify/notify-schemas';
import { resolveTarget } from '../../shared/notify/notify-targets';
import { createSecretBox } from '../../shared/notify/secret-box';
import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { systemClock } from '../../shared/time/clock';

export const SMTP_USER = 'keyward-smtp';
export const SMTP_PASSWORD = 'smtp-password-Zq81!';
export const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

let tables = 0;

/** Azurite, a mail sink with STARTTLS + auth, a webhook receiver, and the worker wired to them (local mode). */
export interface NotifyFixture {
  readonly azurite: RunningAzurite;
  readonly mail: RunningMailSink;
  readonly receiver: RunningWebhookReceiver;
  readonly webhookSecret: string;
  readonly logs: string[];
  readonly audits: unknown[];
  readonly sleeps: number[];
  table(name: string): TableClient;
  /** Fresh stores and worker on new tables (tests stay independent). */
  build(): {
    config: NotifyConfigStore;
    deliveries: DeliveryStore;
    worker: ReturnType<typeof createDeliveryWorker>;
    configTable: TableClient;
    deliveriesTable: TableClient;
  };
  stop(): Promise<void>;
}

export async function startNotifyFixture(): Promise<NotifyFixture> {
  const azurite = await startAzurite();
  const mail = await startMailSink({ auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
  const webhookSecret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret: webhookSecret });
  const logs: string[] = [];
  const audits: unknown[] = [];
  const sleeps: number[] = [];
  const table = (name: string): TableClient =>
    TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  const lazy = (client: TableClient) => {
    let ready: Promise<TableClient> | undefined;
    return () => (ready ??= client.createTable().then(() => client));
  };
  return {
    azurite,
    mail,
    receiver,
    webhookSecret,
    logs,
    audits,
    sleeps,
    table,
    build() {
      tables++;
      const configTable = table(`notifycfg${process.pid}x${tables}`);
      const deliveriesTable = table(`notifydlv${process.pid}x${tables}`);
      const config = createNotifyConfigStore({
        table: lazy(configTable),
        box: createSecretBox(SECRETS_KEY),
        clock: systemClock,
      });
      const deliveries = createDeliveryStore({ table: lazy(deliveriesTable) });
      const audit: NotifyAudit = { append: async (entry) => void audits.push(entry) };
      const policy = { localMode: true };
      const worker = createDeliveryWorker({
        deliveries,
        resolveTarget: (message) => resolveTarget(message, config, {}),
        send: createSender({
          policy,
          clock: systemClock,
          pagerDutyUrl: `${receiver.url}/pagerduty/v2/enqueue`,
          email: async () => {
            const stored = await config.emailConfig();
            return stored ? createSmtpTransport(stored, policy) : null;
          },
        }),
        audit,
        clock: systemClock,
        log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
        retry: { maxAttempts: 6, baseSeconds: 5, maxSeconds: 60 },
        sleep: async (ms) => void sleeps.push(ms),
      });
      return { config, deliveries, worker, configTable, deliveriesTable };
    },
    async stop() {
      await Promise.all([mail.stop(), receiver.stop(), azurite.stop()]);
    },
  };
}

let seq = 0;

/** An event for an item `days` from expiry at `level`. */
export function event(
  name: string,
  days: number,
  level: NotifyEvent['level'] = 'critical',
  action: NotifyEvent['action'] = 'trigger',
): NotifyEvent {
  const id = `sub-1_kv-prod~secret_${name}`;
  return {
    key: `${id}|${level}|day:2026-11-22`,
    action,
    reason: action === 'trigger' ? 'entered' : 'renewed',
    alertType: level === 'expired' ? 'secret_expired' : 'secret_expiring',
    level,
    levels: [level],
    item: {
      id,
      scope: 'sub-1_kv-prod',
      kind: 'secret',
      name,
      vaultName: 'kv-prod',
      subscriptionId: 'sub-1',
      subscriptionName: 'Production',
      expiresOn: new Date(Date.UTC(2026, 10, 22 + days, 8)).toISOString(),
      severity: level,
      daysRemaining: days,
      tags: {},
    },
  };
}

export function delivery(
  over: Partial<DeliveryMessage> & Pick<DeliveryMessage, 'channel' | 'destination'>,
): DeliveryMessage {
  seq++;
  return {
    v: 1,
    deliveryKey: `nd-test-${process.pid}-${seq}`,
    alertType: 'secret_expiring',
    teamName: 'Infra',
    scanId: 'scan-20261122',
    createdAt: '2026-11-22T08:00:00.000Z',
    events: [event('db-password', 3)],
    test: false,
    ...over,
  };
}
