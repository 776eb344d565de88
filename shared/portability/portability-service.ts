import type { AuditActor } from '../audit/audit-types';
import { auditedChange, type AuditAppender } from '../auth/auth-audit';
import { readAppSetting } from '../config/app-settings';
import type { NotifyServices } from '../notify/notify-runtime';
import { webhookChannelTypes } from '../notify/notify-schemas';
import {
  days14EnabledSetting,
  days30EnabledSetting,
  days7EnabledSetting,
  notificationEmailSetting,
  reminderModesSetting,
  thresholdsSetting,
} from '../notify/notify-settings';
import { badRequest } from '../http/http-errors';
import { smtpCredentialsAfter } from '../notify/destination-credentials';
import { checkOutboundHost, UrlRefusedError } from '../notify/url-guard';
import { channelConfig } from '../notify/notify-targets';
import type { SettingSpec, SettingsResolver } from '../settings/settings-resolver';
import type { SettingsStore } from '../settings/settings-store';
import type { Clock } from '../time/clock';
import { planImport, type ImportOperation } from './portability-plan';
import { CONFIG_DOCUMENT_VERSION } from './portability-schemas';
import type { ConfigDocument, ImportResult } from './portability-types';

export interface PortabilityDeps {
  readonly settings: SettingsResolver;
  readonly settingsStore: SettingsStore;
  /** The notification configuration store and the email configuration in force (stored, else app settings). */
  readonly notify: Pick<NotifyServices, 'config' | 'emailConfig' | 'urlPolicy'>;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly audit: AuditAppender;
}

/** Who asked, for the audit entry. */
export interface PortabilityCaller {
  readonly actor: AuditActor;
  readonly correlationId: string;
}

export interface PortabilityService {
  /** `GET /api/export`: the configuration in force as a versioned document, audited as `config.exported`. */
  exportConfig(caller: PortabilityCaller): Promise<ConfigDocument>;
  /** `POST /api/import`: a document already validated by its schema; audited as `config.imported`. */
  importConfig(document: ConfigDocument, caller: PortabilityCaller): Promise<ImportResult>;
}

const MAX_AUDITED_CHANGES = 100;

export function createPortabilityService(deps: PortabilityDeps): PortabilityService {
  const { config } = deps.notify;
  const resolve = async <T>(spec: SettingSpec<T>): Promise<T> => (await deps.settings.resolve(spec)).value;

  /** The configuration in force, read the way the notification engine reads it (table → app setting → default). */
  async function current(): Promise<ConfigDocument> {
    const [thresholds, reminderModes, notificationEmail, days30Enabled, days14Enabled, days7Enabled] =
      await Promise.all([
        resolve(thresholdsSetting),
        resolve(reminderModesSetting),
        resolve(notificationEmailSetting),
        resolve(days30EnabledSetting),
        resolve(days14EnabledSetting),
        resolve(days7EnabledSetting),
      ]);
    const routes = (await config.listRoutes())
      .map(({ id, subscriptionId, subscriptionName, teamName, notificationEmail: emails, webhookConfigured }) => ({
        id,
        subscriptionId,
        subscriptionName,
        teamName,
        notificationEmail: emails,
        webhookConfigured,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const channels = [];
    for (const type of webhookChannelTypes) {
      channels.push({ type, enabled: (await channelConfig(config, type, deps.env))?.channel.enabled ?? false });
    }
    const email = (await deps.notify.emailConfig())?.config;
    const acs = Boolean(readAppSetting('ACS_CONNECTION_STRING', deps.env) || readAppSetting('ACS_ENDPOINT', deps.env));
    return {
      version: CONFIG_DOCUMENT_VERSION,
      exportedAt: deps.clock.now().toISOString(),
      thresholds,
      settings: { notificationEmail, days30Enabled, days14Enabled, days7Enabled },
      reminderModes,
      routes,
      channels,
      // The same defaults GET /api/smtp-config shows; credentials are left behind by construction.
      emailProvider: {
        provider: email?.provider ?? (acs ? 'acs' : 'smtp'),
        host: email?.host ?? '',
        port: email?.port ?? 587,
        security: email?.security ?? 'starttls',
        fromAddress: email?.fromAddress ?? '',
        fromName: email?.fromName ?? 'Keyward',
      },
    };
  }

  /**
   * SMTP credentials in force survive an import only for the same host, and never onto `security: none`: a
   * document names a host but never carries credentials, so it cannot be allowed to move them elsewhere.
   */
  async function importedCredentials(
    value: ConfigDocument['emailProvider'],
  ): Promise<{ username: string; password: string; cleared: boolean }> {
    const email = (await deps.notify.emailConfig())?.config;
    const kept = smtpCredentialsAfter({ host: value.host }, email);
    if (value.security !== 'none' || (!kept.username && !kept.password)) return kept;
    return { username: '', password: '', cleared: true };
  }

  /** One write; channel URLs and route webhooks are kept as they are (documents never hold them). */
  async function apply(operation: ImportOperation, updatedBy: string): Promise<void> {
    switch (operation.kind) {
      case 'setting':
        return deps.settingsStore.set(operation.key, operation.value, updatedBy);
      case 'emailProvider': {
        const { username, password } = await importedCredentials(operation.value);
        return config.saveEmailConfig({ ...operation.value, username, password });
      }
      case 'channel': {
        const found = await channelConfig(config, operation.type, deps.env);
        const channel = found?.channel ?? { channelType: operation.type, enabled: false, secrets: {} };
        return config.saveChannel({ ...channel, enabled: operation.enabled });
      }
      case 'saveRoute':
        await config.saveRoute(operation.route, undefined);
        return;
      case 'deleteRoute':
        await config.deleteRoute(operation.id);
        return;
    }
  }

  return {
    async exportConfig(caller) {
      const document = await current();
      await deps.audit.append({
        actor: caller.actor,
        action: 'config.exported',
        target: 'configuration',
        outcome: 'success',
        details: { version: document.version, routes: document.routes.length, channels: document.channels.length },
        correlationId: caller.correlationId,
      });
      return document;
    },

    async importConfig(document, caller) {
      const plan = planImport(await current(), document);
      const warnings = [...plan.warnings];
      // An imported SMTP host passes the same outbound guard as one saved through POST /api/smtp-config.
      for (const operation of plan.operations) {
        if (operation.kind !== 'emailProvider' || !operation.value.host) continue;
        await checkOutboundHost(operation.value.host, deps.notify.urlPolicy).catch((error: unknown) => {
          if (!(error instanceof UrlRefusedError)) throw error;
          throw badRequest(error.message, [{ field: 'body.emailProvider.host', message: error.reason }]);
        });
      }
      for (const operation of plan.operations) {
        if (operation.kind === 'emailProvider' && (await importedCredentials(operation.value)).cleared) {
          warnings.push('SMTP credentials were not kept for the imported host; set them with POST /api/smtp-config.');
        }
        if (operation.kind !== 'channel' || !operation.enabled) continue;
        const secrets = (await channelConfig(config, operation.type, deps.env))?.channel.secrets ?? {};
        if (!secrets.url && !secrets.routingKey) {
          warnings.push(
            `Channel ${operation.type} is enabled but not configured here; set it with POST /api/webhook-config.`,
          );
        }
      }
      // Audited first with the planned changes; the writes follow in plan order. Each write sets a value
      // (idempotent), so after an interruption the same document imported again plans only what is left.
      const entry = {
        actor: caller.actor,
        action: 'config.imported',
        target: 'configuration',
        outcome: 'success',
        details: {
          version: document.version,
          exportedAt: document.exportedAt,
          changeCount: plan.changes.length,
          // An entity property holds 64 KiB; a very large import lists its first changes and the count.
          changes: plan.changes.slice(0, MAX_AUDITED_CHANGES),
        },
        correlationId: caller.correlationId,
      } as const;
      await auditedChange(deps.audit, entry, async () => {
        for (const operation of plan.operations) await apply(operation, caller.actor.id);
      });
      return { changed: plan.changes.length > 0, changes: plan.changes, warnings };
    },
  };
}
