import { readAppSetting } from '../config/app-settings';
import type { NotifyConfigStore, StoredChannel, StoredEmailConfig } from './notify-config-store';
import type { DeliveryMessage, WebhookChannelType } from './notify-schemas';
import { DeliveryError } from './delivery-errors';

/** What a sender needs: for webhook-like channels the secret parts, decrypted only for this send. */
export type Target =
  | { readonly channel: 'email'; readonly to: readonly string[] }
  | { readonly channel: 'slack'; readonly url: string }
  | { readonly channel: 'teams'; readonly url: string; readonly format: 'auto' | 'workflows' | 'messagecard' }
  | { readonly channel: 'pagerduty'; readonly routingKey: string }
  | {
      readonly channel: 'servicenow';
      readonly instanceUrl: string;
      readonly username: string;
      readonly password: string;
    }
  | { readonly channel: 'webhook'; readonly url: string; readonly secret: string };

/** The generic webhook channel preset by app settings (the local run points it at the webhook receiver). */
export function presetWebhookChannel(env: NodeJS.ProcessEnv = process.env): StoredChannel | null {
  const url = readAppSetting('NOTIFY_WEBHOOK_URL', env);
  if (!url) return null;
  return {
    channelType: 'webhook',
    enabled: true,
    secrets: { url, secret: readAppSetting('NOTIFY_WEBHOOK_SECRET', env) },
  };
}

/** Email configuration: the stored one, else the SMTP_* app settings, else none. */
export function presetEmailConfig(env: NodeJS.ProcessEnv = process.env): StoredEmailConfig | null {
  const host = readAppSetting('SMTP_HOST', env);
  const acs = readAppSetting('ACS_CONNECTION_STRING', env) || readAppSetting('ACS_ENDPOINT', env);
  if (!host && !acs) return null;
  const security = readAppSetting('SMTP_SECURITY', env);
  return {
    provider: acs ? 'acs' : 'smtp',
    host,
    port: Number(readAppSetting('SMTP_PORT', env)) || 587,
    security: security === 'none' || security === 'tls' ? security : 'starttls',
    fromAddress: readAppSetting('SMTP_FROM_EMAIL', env),
    fromName: 'Keyward',
    username: readAppSetting('SMTP_USERNAME', env),
    password: readAppSetting('SMTP_PASSWORD', env),
  };
}

export async function channelConfig(
  store: NotifyConfigStore,
  type: WebhookChannelType,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ channel: StoredChannel; source: 'table' | 'appSetting' } | null> {
  const stored = await store.channel(type);
  if (stored) return { channel: stored, source: 'table' };
  const preset = type === 'webhook' ? presetWebhookChannel(env) : null;
  return preset ? { channel: preset, source: 'appSetting' } : null;
}

const missing = (what: string): DeliveryError => new DeliveryError(`${what} is not configured`, false);

function fromChannel(channel: StoredChannel): Target {
  const s = channel.secrets;
  switch (channel.channelType) {
    case 'slack':
      if (!s.url) throw missing('Slack webhook');
      return { channel: 'slack', url: s.url };
    case 'teams':
      if (!s.url) throw missing('Teams webhook');
      return { channel: 'teams', url: s.url, format: channel.teamsFormat ?? 'auto' };
    case 'pagerduty':
      if (!s.routingKey) throw missing('PagerDuty routing key');
      return { channel: 'pagerduty', routingKey: s.routingKey };
    case 'servicenow':
      if (!s.url || !s.username || !s.password) throw missing('ServiceNow instance');
      return { channel: 'servicenow', instanceUrl: s.url, username: s.username, password: s.password };
    case 'webhook':
      if (!s.url || !s.secret) throw missing('Webhook URL or signing secret');
      return { channel: 'webhook', url: s.url, secret: s.secret };
  }
}

/** A team's own webhook (VaultGuard360 routes carry a Teams URL); Slack URLs are recognised too. */
export function routeWebhookTarget(url: string): Target {
  return new URL(url).hostname === 'hooks.slack.com'
    ? { channel: 'slack', url }
    : { channel: 'teams', url, format: 'auto' };
}

/** Looks the destination up at send time, so a message never carries a URL or secret. */
export async function resolveTarget(
  message: DeliveryMessage,
  store: NotifyConfigStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const destination = message.destination;
  switch (destination.kind) {
    case 'email':
      return { channel: 'email', to: destination.to };
    case 'channel': {
      const found = await channelConfig(store, destination.channel, env);
      if (!found || (!found.channel.enabled && !message.test)) throw missing(`The ${destination.channel} channel`);
      return fromChannel(found.channel);
    }
    case 'route': {
      const url = await store.routeWebhook(destination.routeId);
      if (!url) throw missing('The route webhook');
      return routeWebhookTarget(url);
    }
    case 'rule': {
      const rule = await store.rule(destination.ruleId);
      if (!rule) throw missing('The alert rule');
      if (rule.deliveryMethod === 'email') return { channel: 'email', to: rule.recipients };
      if (rule.deliveryMethod === 'pagerduty' && rule.routingKey)
        return { channel: 'pagerduty', routingKey: rule.routingKey };
      if (rule.webhookUrl && (rule.deliveryMethod === 'slack' || rule.deliveryMethod === 'teams')) {
        return rule.deliveryMethod === 'slack'
          ? { channel: 'slack', url: rule.webhookUrl }
          : { channel: 'teams', url: rule.webhookUrl, format: 'auto' };
      }
      const found = await channelConfig(store, rule.deliveryMethod, env);
      if (!found) throw missing(`The ${rule.deliveryMethod} channel`);
      return fromChannel(found.channel);
    }
  }
}
