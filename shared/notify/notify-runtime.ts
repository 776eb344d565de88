import { queues } from '../config/queues';
import { appLog } from '../runtime/app-log';
import type { SendMessages } from '../runtime/message-sender';
import { readAppSetting } from '../config/app-settings';
import { createInventoryStore, INVENTORY_TABLE } from '../inventory/inventory-store';
import { azureCredential } from '../runtime/azure-credential';
import type { StorageClients } from '../runtime/storage-clients';
import type { SettingsResolver } from '../settings/settings-resolver';
import type { Clock } from '../time/clock';
import { createDigestStore, NOTIFY_DIGEST_TABLE } from './digest-store';
import { flushDigests } from './digest-flush';
import { createSender } from './channel-senders';
import { createDeliveryStore, NOTIFY_DELIVERIES_TABLE, type DeliveryStore } from './delivery-store';
import { createDeliveryWorker } from './delivery-worker';
import { createAcsTransport, createSmtpTransport, type EmailTransport } from './email-transports';
import type { NotifyAudit } from './notify-audit';
import {
  createNotifyConfigStore,
  NOTIFY_CONFIG_TABLE,
  type NotifyConfigStore,
  type StoredEmailConfig,
} from './notify-config-store';
import type { ActiveChannel } from './delivery-planner';
import type { ChannelType, DeliveryMessage } from './notify-schemas';
import {
  days14EnabledSetting,
  days30EnabledSetting,
  days7EnabledSetting,
  notificationEmailSetting,
  reminderModesSetting,
  tagNamesSetting,
  thresholdsSetting,
} from './notify-settings';
import { channelConfig, presetEmailConfig, resolveTarget } from './notify-targets';
import { channelQueues } from './notify-queues';
import { createReminderStateStore, NOTIFY_STATE_TABLE } from './reminder-state-store';
import type { NotifyPolicy } from './notify-policy';
import type { ScanEvaluationDeps } from './scan-evaluation';
import type { AlertDispatchDeps } from './alert-dispatch';
import { createSecretBox } from './secret-box';
import type { UrlPolicy } from './url-guard';
import { webhookChannelTypes } from './notify-schemas';

/** Notification services for one runtime, built on first use. */
export interface NotifyServices {
  readonly config: NotifyConfigStore;
  readonly deliveries: DeliveryStore;
  readonly urlPolicy: UrlPolicy;
  readonly audit: NotifyAudit;
  /** The email configuration in force (stored, else app settings) and where it came from. */
  emailConfig(): Promise<{ config: StoredEmailConfig; source: 'table' | 'appSetting' } | null>;
  emailTransport(): Promise<EmailTransport | null>;
  policy(): Promise<NotifyPolicy>;
  enqueue(channel: ChannelType, messages: readonly DeliveryMessage[]): Promise<void>;
  worker: ReturnType<typeof createDeliveryWorker>;
  /** Resolves a delivery's target and sends it once (test sends, outside the queues). */
  sendNow(message: DeliveryMessage): Promise<void>;
  evaluationDeps(): ScanEvaluationDeps;
  /** What an `alert.raised` event needs: the policy in force and the channel queues. */
  readonly alertDeps: AlertDispatchDeps;
  /** The digest timer's work: one delivery per digest rule with collected events. */
  flushDigests(): Promise<number>;
}

/** What notifications are built from; the composition root (shared/runtime/runtime.ts) supplies it once. */
export interface NotifyWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly storage: () => StorageClients;
  readonly send: SendMessages;
  readonly settings: SettingsResolver;
  readonly audit: NotifyAudit;
}

export function createNotifyServices(wiring: NotifyWiring): NotifyServices {
  const { env, audit } = wiring;
  const table = (name: string) => () => wiring.storage().table(name);
  const box = createSecretBox(readAppSetting('NOTIFY_SECRETS_KEY', env));
  const config = createNotifyConfigStore({ table: table(NOTIFY_CONFIG_TABLE), box, clock: wiring.clock });
  const deliveries = createDeliveryStore({ table: table(NOTIFY_DELIVERIES_TABLE) });
  const urlPolicy: UrlPolicy = { localMode: readAppSetting('KEYWARD_LOCAL_MODE', env) === 'true' };

  const emailConfig = async (): Promise<{ config: StoredEmailConfig; source: 'table' | 'appSetting' } | null> => {
    const stored = await config.emailConfig();
    if (stored) return { config: stored, source: 'table' };
    const preset = presetEmailConfig(env);
    return preset ? { config: preset, source: 'appSetting' } : null;
  };

  // ACS when chosen and configured; SMTP otherwise (VaultGuard360's fallback order).
  const emailTransport = async (): Promise<EmailTransport | null> => {
    const found = await emailConfig();
    const acsConnection = readAppSetting('ACS_CONNECTION_STRING', env);
    const acsEndpoint = readAppSetting('ACS_ENDPOINT', env);
    const sender = readAppSetting('ACS_SENDER_ADDRESS', env) || found?.config.fromAddress || '';
    if ((!found || found.config.provider === 'acs') && (acsConnection || acsEndpoint) && sender) {
      return createAcsTransport(
        acsConnection
          ? { connectionString: acsConnection, sender }
          : { endpoint: acsEndpoint, credential: azureCredential(env), sender },
      );
    }
    if (found?.config.host) return createSmtpTransport(found.config, urlPolicy);
    return null;
  };

  const policy = async (): Promise<NotifyPolicy> => {
    const resolve = wiring.settings.resolve.bind(wiring.settings);
    const [thresholds, modes, days30, days14, days7, email, tagNames, routes, rules] = await Promise.all([
      resolve(thresholdsSetting),
      resolve(reminderModesSetting),
      resolve(days30EnabledSetting),
      resolve(days14EnabledSetting),
      resolve(days7EnabledSetting),
      resolve(notificationEmailSetting),
      resolve(tagNamesSetting),
      config.listRoutes(),
      config.listRules(),
    ]);
    const channels: ActiveChannel[] = [];
    for (const type of webhookChannelTypes) {
      const found = await channelConfig(config, type, env);
      if (found?.channel.enabled)
        channels.push({
          channelType: type,
          ...(found.channel.severities ? { severities: found.channel.severities } : {}),
        });
    }
    return {
      thresholds: thresholds.value,
      modes: modes.value,
      enabled: { warning: days30.value, severe: days14.value, critical: days7.value },
      routing: {
        routes: routes.map((r) => ({ ...r, hasWebhook: r.webhookConfigured })),
        defaultEmail: email.value,
        tagNames: tagNames.value,
        ownerDomains: readAppSetting('NOTIFY_OWNER_DOMAINS', env).split(','),
      },
      channels,
      rules: rules.filter((r) => r.enabled),
    };
  };

  // messageId = the delivery key: the broker drops a second copy inside its duplicate-detection window.
  const enqueue = (channel: ChannelType, messages: readonly DeliveryMessage[]): Promise<void> =>
    wiring.send(
      queues[channelQueues[channel]].name,
      messages.map((message) => ({ messageId: message.deliveryKey, body: message })),
    );

  const send = createSender({
    policy: urlPolicy,
    clock: wiring.clock,
    pagerDutyUrl: readAppSetting('PAGERDUTY_EVENTS_URL', env),
    email: emailTransport,
  });
  const worker = createDeliveryWorker({
    deliveries,
    resolveTarget: (message) => resolveTarget(message, config, env),
    send,
    audit,
    clock: wiring.clock,
    log: appLog,
    retry: {
      maxAttempts: queues.notifyEmail.maxDeliveryCount,
      baseSeconds: Number(readAppSetting('NOTIFY_RETRY_BASE_SECONDS', env)) || 5,
      maxSeconds: Number(readAppSetting('NOTIFY_RETRY_MAX_SECONDS', env)) || 60,
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });

  const inventory = createInventoryStore(table(INVENTORY_TABLE));
  const digests = createDigestStore({ table: table(NOTIFY_DIGEST_TABLE) });
  const services: NotifyServices = {
    config,
    deliveries,
    urlPolicy,
    audit,
    emailConfig,
    emailTransport,
    policy,
    enqueue,
    worker,
    sendNow: async (message) => send(message, await resolveTarget(message, config, env)),
    alertDeps: { policy, enqueue },
    flushDigests: () => flushDigests({ digests, rules: () => config.listRules(), enqueue }, wiring.clock.now()),
    evaluationDeps: () => ({
      items: () => inventory.listAll(),
      state: createReminderStateStore({ table: table(NOTIFY_STATE_TABLE) }),
      digests,
      config,
      policy,
      enqueue,
      clock: wiring.clock,
    }),
  };
  return services;
}
