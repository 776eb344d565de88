import { auditActor } from '../auth/auth-audit';
import type { GroupHandlers } from '../http/register-routes';
import type { Runtime } from '../runtime/runtime';
import type { alertRoutes } from './alert-routes';
import type { notifyRoutes } from './notify-routes';
import { reminderModesSetting, splitEmails, thresholdsSetting } from './notify-settings';

/**
 * HTTP handlers of the notification endpoints. The pipeline parsed the input; each handler calls one service,
 * loaded on first request.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const settings = (): typeof import('./notify-settings-service') => require('./notify-settings-service');
const config = (): typeof import('./notify-config-service') => require('./notify-config-service');
const alerts = (): typeof import('./alert-service') => require('./alert-service');
const tests = (): typeof import('./notify-test-send') => require('./notify-test-send');
/* eslint-enable @typescript-eslint/no-require-imports */

const notify = (runtime: Runtime) => runtime.notify();
const settingsDeps = (runtime: Runtime) => ({
  settings: runtime.settings,
  settingsStore: runtime.settingsStore,
  env: runtime.env,
  audit: notify(runtime).audit,
});
const configDeps = (runtime: Runtime) => ({ ...notify(runtime), env: runtime.env });
const alertDeps = (runtime: Runtime) => ({ ...notify(runtime), clock: runtime.clock });

/** VaultGuard360 settings, routes, channels and test sends: each handler calls one service. */
export const notifyHandlers: GroupHandlers<typeof notifyRoutes> = {
  getThresholds: async ({ runtime }) => ({
    status: 200,
    body: (await runtime.settings.resolve(thresholdsSetting)).value,
  }),
  postThresholds: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await settings().saveSetting(settingsDeps(runtime), auditActor(identity), thresholdsSetting, body),
  }),
  getGeneralSettings: async ({ runtime }) => ({
    status: 200,
    body: await settings().generalSettings(settingsDeps(runtime)),
  }),
  postGeneralSettings: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await settings().saveGeneralSettings(settingsDeps(runtime), auditActor(identity), {
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
    body: await settings().saveSetting(settingsDeps(runtime), auditActor(identity), reminderModesSetting, body),
  }),
  getRoutes: async ({ runtime }) => ({ status: 200, body: { routes: await notify(runtime).config.listRoutes() } }),
  postRoute: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveRoute(configDeps(runtime), auditActor(identity), body),
  }),
  deleteRoute: async ({ runtime, identity, params }) => {
    await config().deleteRoute(configDeps(runtime), auditActor(identity), params.id);
    return { status: 204 };
  },
  getSmtpConfig: async ({ runtime }) => ({ status: 200, body: await config().emailConfigView(configDeps(runtime)) }),
  postSmtpConfig: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveEmailConfig(configDeps(runtime), auditActor(identity), body),
  }),
  postSmtpTest: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await tests().sendTest(
      alertDeps(runtime),
      auditActor(identity),
      'email',
      { kind: 'email', to: [body.testEmail] },
      '1 recipient(s)',
    ),
  }),
  getWebhookConfig: async ({ runtime }) => ({ status: 200, body: await config().webhookConfig(configDeps(runtime)) }),
  postWebhookConfig: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await config().saveChannel(configDeps(runtime), auditActor(identity), body),
  }),
  postWebhookTest: async ({ runtime, identity, body }) => ({
    status: 200,
    body: await tests().sendTest(
      alertDeps(runtime),
      auditActor(identity),
      body.channelType,
      { kind: 'channel', channel: body.channelType },
      body.channelType,
    ),
  }),
  postTestNotification: async ({ runtime, identity }) => {
    const deps = alertDeps(runtime);
    const actor = auditActor(identity);
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
};

/** CertifyClouds alert rules and history, effective settings, and snoozes on expiring items. */
export const alertHandlers: GroupHandlers<typeof alertRoutes> = {
  listAlertRules: async ({ runtime }) => ({
    status: 200,
    body: { rules: await alerts().listRules(alertDeps(runtime)) },
  }),
  createAlertRule: async ({ runtime, identity, body }) => ({
    status: 201,
    body: await alerts().createRule(alertDeps(runtime), auditActor(identity), body),
  }),
  updateAlertRule: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await alerts().updateRule(alertDeps(runtime), auditActor(identity), params.id, body),
  }),
  deleteAlertRule: async ({ runtime, identity, params }) => {
    await alerts().deleteRule(alertDeps(runtime), auditActor(identity), params.id);
    return { status: 204 };
  },
  testAlertRule: async ({ runtime, identity, params }) => ({
    status: 200,
    body: await alerts().testRule(alertDeps(runtime), auditActor(identity), params.id),
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
      auditActor(identity),
      params.category,
      params.key,
      body.value,
    ),
  }),
  deleteSetting: async ({ runtime, identity, params }) => ({
    status: 200,
    body: await settings().resetSetting(settingsDeps(runtime), auditActor(identity), params.category, params.key),
  }),
  snoozeItem: async ({ runtime, identity, params, body }) => ({
    status: 200,
    body: await alerts().snooze(alertDeps(runtime), auditActor(identity), params.id, body),
  }),
  unsnoozeItem: async ({ runtime, identity, params }) => {
    await alerts().unsnooze(alertDeps(runtime), auditActor(identity), params.id);
    return { status: 204 };
  },
};
