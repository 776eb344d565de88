import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AuditActor } from '../audit/audit-types';
import { auditedChange } from '../auth/auth-audit';
import { readAppSetting } from '../config/app-settings';
import { badRequest, notFound } from '../http/http-errors';
import type {
  ChannelInput,
  channelViewSchema,
  EmailConfigInput,
  emailConfigViewSchema,
  RouteInput,
  RouteView,
} from './notify-config-schemas';
import type { StoredChannel } from './notify-config-store';
import { webhookChannelTypes, type WebhookChannelType } from './notify-schemas';
import { channelConfig } from './notify-targets';
import type { NotifyServices } from './notify-runtime';
import { channelSecretsAfter, smtpCredentialsAfter } from './destination-credentials';
import { checkOutboundHost, checkOutboundUrl, UrlRefusedError } from './url-guard';
import { generateWebhookSecret, isWebhookSecret } from './webhook-signature';

type ChannelView = z.infer<typeof channelViewSchema>;
type EmailConfigView = z.infer<typeof emailConfigViewSchema>;
type Deps = Pick<NotifyServices, 'config' | 'urlPolicy' | 'audit' | 'emailConfig'> & { env: NodeJS.ProcessEnv };

/** The save-time half of the outbound guard; the refusal names the class, never the URL. */
export async function guardUrl(deps: Pick<Deps, 'urlPolicy'>, url: string, field: string): Promise<void> {
  try {
    await checkOutboundUrl(url, deps.urlPolicy);
  } catch (error) {
    if (error instanceof UrlRefusedError) throw badRequest(error.message, [{ field, message: error.reason }]);
    throw error;
  }
}

/** The same guard for the SMTP host (email-transports.ts checks it again when it connects). */
export async function guardHost(deps: Pick<Deps, 'urlPolicy'>, host: string, field: string): Promise<void> {
  try {
    await checkOutboundHost(host, deps.urlPolicy);
  } catch (error) {
    if (error instanceof UrlRefusedError) throw badRequest(error.message, [{ field, message: error.reason }]);
    throw error;
  }
}

export async function saveRoute(deps: Deps, actor: AuditActor, input: RouteInput): Promise<RouteView> {
  if (input.webhookUrl) await guardUrl(deps, input.webhookUrl, 'body.webhookUrl');
  const existing = input.id ? (await deps.config.listRoutes()).find((r) => r.id === input.id) : undefined;
  if (input.id && !existing) throw notFound('No route with that id.');
  const { webhookUrl, ...fields } = input;
  // The id is chosen here, not by the store, so the audit entry written before the route can name it.
  const route = { ...fields, id: input.id ?? randomUUID() };
  const webhookConfigured = webhookUrl === undefined ? (existing?.webhookConfigured ?? false) : webhookUrl !== '';
  const entry = {
    actor,
    action: existing ? 'route.updated' : 'route.created',
    target: `route ${route.id}`,
    outcome: 'success',
    details: {
      subscriptionId: route.subscriptionId,
      teamName: route.teamName,
      recipients: route.notificationEmail,
      webhookConfigured,
      webhookChanged: webhookUrl !== undefined,
    },
  } as const;
  return auditedChange(deps.audit, entry, () => deps.config.saveRoute(route, webhookUrl));
}

export async function deleteRoute(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  if (!(await deps.config.listRoutes()).some((r) => r.id === id)) throw notFound('No route with that id.');
  const entry = { actor, action: 'route.deleted', target: `route ${id}`, outcome: 'success', details: {} } as const;
  await auditedChange(deps.audit, entry, async () => {
    if (!(await deps.config.deleteRoute(id))) throw notFound('No route with that id.');
  });
}

function channelView(
  channel: StoredChannel | null,
  type: WebhookChannelType,
  source: ChannelView['source'],
): ChannelView {
  const s = channel?.secrets ?? {};
  const configured = type === 'pagerduty' ? Boolean(s.routingKey) : Boolean(s.url);
  return {
    channelType: type,
    enabled: channel?.enabled ?? false,
    configured,
    secretConfigured: type === 'webhook' ? Boolean(s.secret) : type === 'servicenow' ? Boolean(s.password) : configured,
    source,
    ...(type === 'teams' ? { teamsFormat: channel?.teamsFormat ?? 'auto' } : {}),
    ...(channel?.severities ? { severities: channel.severities } : {}),
  };
}

export async function webhookConfig(deps: Deps): Promise<{ channels: ChannelView[] }> {
  const channels: ChannelView[] = [];
  for (const type of webhookChannelTypes) {
    const found = await channelConfig(deps.config, type, deps.env);
    channels.push(channelView(found?.channel ?? null, type, found?.source ?? 'default'));
  }
  return { channels };
}

export async function saveChannel(
  deps: Deps,
  actor: AuditActor,
  input: ChannelInput,
): Promise<ChannelView & { generatedSecret?: string }> {
  const current = await deps.config.channel(input.channelType);
  if (input.url) await guardUrl(deps, input.url, 'body.url');
  if (input.secret && !isWebhookSecret(input.secret)) {
    throw badRequest('The signing secret must be whsec_ followed by base64 of 24–64 bytes.', [
      { field: 'body.secret', message: 'format' },
    ]);
  }
  // Omitted secrets keep their stored value, `""` clears, and a new URL drops the secrets tied to the old one.
  const { secrets, cleared } = channelSecretsAfter(input, current?.secrets ?? {});
  let generatedSecret: string | undefined;
  if (input.channelType === 'webhook' && secrets.url && !secrets.secret) {
    generatedSecret = generateWebhookSecret();
    secrets.secret = generatedSecret;
  }
  const channel: StoredChannel = {
    channelType: input.channelType,
    enabled: input.enabled,
    ...(input.teamsFormat
      ? { teamsFormat: input.teamsFormat }
      : current?.teamsFormat
        ? { teamsFormat: current.teamsFormat }
        : {}),
    ...(input.severities
      ? { severities: input.severities }
      : current?.severities
        ? { severities: current.severities }
        : {}),
    secrets,
  };
  const entry = {
    actor,
    action: current ? 'channel.updated' : 'channel.created',
    target: input.channelType,
    outcome: 'success',
    details: {
      channelType: input.channelType,
      enabled: input.enabled,
      urlChanged: input.url !== undefined,
      secretChanged:
        input.secret !== undefined ||
        input.password !== undefined ||
        input.routingKey !== undefined ||
        generatedSecret !== undefined,
      credentialsCleared: cleared,
    },
  } as const;
  await auditedChange(deps.audit, entry, () => deps.config.saveChannel(channel));
  return { ...channelView(channel, input.channelType, 'table'), ...(generatedSecret ? { generatedSecret } : {}) };
}

export async function emailConfigView(deps: Deps): Promise<EmailConfigView> {
  const found = await deps.emailConfig();
  const acsConfigured = Boolean(
    readAppSetting('ACS_CONNECTION_STRING', deps.env) || readAppSetting('ACS_ENDPOINT', deps.env),
  );
  const config = found?.config;
  const provider = config?.provider ?? (acsConfigured ? 'acs' : 'smtp');
  const active = provider === 'acs' && acsConfigured ? 'acs' : config?.host ? 'smtp' : acsConfigured ? 'acs' : 'none';
  return {
    provider,
    host: config?.host ?? '',
    port: config?.port ?? 587,
    security: config?.security ?? 'starttls',
    fromAddress: config?.fromAddress ?? '',
    fromName: config?.fromName ?? 'Keyward',
    credentialsConfigured: Boolean(config?.username || config?.password),
    acsConfigured,
    activeProvider: active,
    source: found?.source ?? 'default',
  };
}

export async function saveEmailConfig(
  deps: Deps,
  actor: AuditActor,
  input: EmailConfigInput,
): Promise<EmailConfigView> {
  if (input.provider === 'smtp' && !input.host)
    throw badRequest('SMTP needs a host.', [{ field: 'body.host', message: 'required' }]);
  if (input.host) await guardHost(deps, input.host, 'body.host');
  const current = (await deps.emailConfig())?.config;
  const { username, password, ...rest } = input;
  // Credentials in force are kept only for the same host: a new host gets only what this request sends.
  const credentials = smtpCredentialsAfter(input, current);
  if (input.security === 'none' && (credentials.username || credentials.password)) {
    throw badRequest('SMTP credentials are never sent in clear: choose starttls or tls, or clear them with "".', [
      { field: 'body.security', message: 'none with credentials' },
    ]);
  }
  const entry = {
    actor,
    action: 'channel.updated',
    target: 'email',
    outcome: 'success',
    details: {
      channelType: 'email',
      provider: input.provider,
      host: input.host,
      port: input.port,
      security: input.security,
      credentialsChanged: username !== undefined || password !== undefined,
      credentialsCleared: credentials.cleared,
    },
  } as const;
  await auditedChange(deps.audit, entry, () =>
    deps.config.saveEmailConfig({ ...rest, username: credentials.username, password: credentials.password }),
  );
  return emailConfigView(deps);
}
