import type { Identity } from '../../shared/auth/auth-roles';
import type { AuditActor } from '../../shared/audit/audit-types';
import { registerRoutes } from '../../shared/http/register-routes';
import { alertRoutes } from '../../shared/notify/alert-routes';
import { notifyRoutes } from '../../shared/notify/notify-routes';
import { reminderModesSetting, splitEmails, thresholdsSetting } from '../../shared/notify/notify-settings';
import type { Runtime } from '../../shared/runtime/runtime';

/**
 * HTTP bindings of the notification endpoints (VaultGuard360 settings, routes and channels; CertifyClouds alert
 * rules, history and effective settings; snoozes). Handlers parse nothing themselves (the pipeline did) and call
 * one service each. The services load on first request.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = <T>(path: string): T => require(path) as T;
const notify = (runtime: Runtime) =>
  load<typeof import('../../shared/notify/notify-runtime')>('../../shared/notify/notify-runtime').notifyServices(
    runtime,
  );
const settings = () =>
  load<typeof import('../../shared/notify/notify-settings-service')>('../../shared/notify/notify-settings-service');
const config = () =>
  load<typeof import('../../shared/notify/notify-config-service')>('../../shared/notify/notify-config-service');
const alerts = () => load<typeof import('../../shared/notify/alert-service')>('../../shared/notify/alert-service');
const tests = () => load<typeof import('../../shared/notify/notify-test-send')>('../../shared/notify/notify-test-send');

function actorOf(identity: Identity | null): AuditActor {
  if (!identity) throw new Error('Identity missing on an authenticated route');
  const name = identity.userName ?? identity.userEmail ?? '';
  return { type: identity.authType === 'apiKey' ? 'apiKey' : 'user', id: identity.userId, name };
}

const settingsDeps = (runtime: Runtime) => ({ ...runtime, audit: notify(runtime).audit });
const configDeps = (runtime: Runtime) => ({ ...notify(runtime), env: runtime.env });
const alertDeps = (runtime: Runtime) => ({ ...notify(runtime), clock: runtime.clock });

registerRoutes(notifyRoutes, {
  getThresholds: async ({ runtime }) => ({
    status: 200,
    body: (await runtime.settings.resolve(thresholdsSetting)).value,
  }),
  postThresholds: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await settings().saveSetting(settingsDeps(runtime), actorOf(identity), thresholdsSetting, body),
  }),
  getGeneralSettings: async ({ runtime }) => ({
    status: 200,
    body: await settings().generalSettings(settingsDeps(runtime)),
  }),
  postGeneralSettings: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await settings().saveGeneralSettings(settingsDeps(runtime), actorOf(identity), {
      ...body,
      notificationEmail: splitEmails(body.notificationEmail).join(', '),
    }),
  }),
  getReminderMode: async ({ runtime }) => ({
    status: 200,
    body: (await runtime.settings.resolve(reminderModesSetting)).value,
  }),
  postReminderMode: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await settings().saveSetting(settingsDeps(runtime), actorOf(identity), reminderModesSetting, body),
  }),
  getRoutes: async ({ runtime }) => ({ status: 200, body: { routes: await notify(runtime).config.listRoutes() } }),
  postRoute: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveRoute(configDeps(runtime), actorOf(identity), body),
  }),
  deleteRoute: async ({ runtime, identity, params }) => {
    await config().deleteRoute(configDeps(runtime), actorOf(identity), params.id);
    return { status: 204 };
  },
  getSmtpConfig: async ({ runtime }) => ({ status: 200, body: await config().emailConfigView(configDeps(runtime)) }),
  postSmtpConfig: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveEmailConfig(configDeps(runtime), actorOf(identity), body),
  }),
  postSmtpTest: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await tests().sendTest(
      alertDeps(runtime),
      actorOf(identity),
      'email',
      { kind: 'email', to: [body.testEmail] },
      '1 recipient(s)',
    ),
  }),
  getWebhookConfig: async ({ runtime }) => ({ status: 200, body: await config().webhookConfig(configDeps(runtime)) }),
  postWebhookConfig: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveChannel(configDeps(runtime), actorOf(identity), body),
  }),
  postWebhookTest: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await tests().sendTest(
      alertDeps(runtime),
      actorOf(identity),
      body.channelType,
      { kind: 'channel', channel: body.channelType },
      body.channelType,
    ),
  }),
  postTestNotification: async ({ runtime, identity }) => {
    const deps = alertDeps(runtime);
    const actor = actorOf(identity);
    const results = [];
    const recipients = splitEmails((await settings().generalSettings(settingsDeps(runtime))).notificationEmail);
    if (recipients.length > 0) {
      results.push(
        await tests().sendTest(
          deps,
          actor,
          'email',
          { kind: 'email', to: recipients.slice(0, 50) },
          `${recipients.length} recipient(s)`,
        ),
      );
    }
    const { channels } = await config().webhookConfig(configDeps(runtime));
    for (const channel of channels.filter((c) => c.enabled && c.configured)) {
      results.push(
        await tests().sendTest(
          deps,
          actor,
          channel.channelType,
          { kind: 'channel', channel: channel.channelType },
          channel.channelType,
        ),
      );
    }
    return { status: 200, body: { results } };
  },
});

registerRoutes(alertRoutes, {
  listAlertRules: async ({ runtime }) => ({
    status: 200,
    body: { rules: await alerts().listRules(alertDeps(runtime)) },
  }),
  createAlertRule: async ({ runtime, identity, body }) => ({
    status: 201,
    body: await alerts().createRule(alertDeps(runtime), actorOf(identity), body),
  }),
  updateAlertRule: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await alerts().updateRule(alertDeps(runtime), actorOf(identity), params.id, body),
  }),
  deleteAlertRule: async ({ runtime, identity, params }) => {
    await alerts().deleteRule(alertDeps(runtime), actorOf(identity), params.id);
    return { status: 204 };
  },
  testAlertRule: async ({ runtime, identity, params }) => ({
    status: 200,
    body: await alerts().testRule(alertDeps(runtime), actorOf(identity), params.id),
  }),
  getAlertHistory: async ({ runtime, query }) => ({
    status: 200,
    body: await alerts().history(alertDeps(runtime), query),
  }),
  getEffectiveSettings: async ({ runtime }) => ({
    status: 200,
    body: { settings: await settings().effectiveSettings(settingsDeps(runtime)) },
  }),
  putSetting: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await settings().putSetting(
      settingsDeps(runtime),
      actorOf(identity),
      params.category,
      params.key,
      body.value,
    ),
  }),
  deleteSetting: async ({ runtime, identity, params }) => ({
    status: 200,
    body: await settings().resetSetting(settingsDeps(runtime), actorOf(identity), params.category, params.key),
  }),
  snoozeItem: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await alerts().snooze(alertDeps(runtime), actorOf(identity), params.id, body),
  }),
  unsnoozeItem: async ({ runtime, identity, params }) => {
    await alerts().unsnooze(alertDeps(runtime), actorOf(identity), params.id);
    return { status: 204 };
  },
});
