import type { AuditAppendInput } from '../audit/audit-types';
import { createSettingsResolver } from '../settings/settings-resolver';
import type { SettingsStore } from '../settings/settings-store';
import { fixedClock } from '../time/clock';
import * as alerts from './alert-service';
import * as configService from './notify-config-service';
import { memoryConfig } from '../../test/notify/memory-config-store';
import * as settingsService from './notify-settings-service';
import { thresholdsSetting } from './notify-settings';

/** An audit log that can be made to refuse appends, recording what it accepted. */
function audit() {
  const entries: AuditAppendInput[] = [];
  const log = {
    down: false,
    entries,
    async append(entry: AuditAppendInput) {
      if (log.down) throw new Error('audit store unavailable');
      entries.push(entry);
    },
  };
  return log;
}

const actor = { type: 'user', id: 'u1', name: 'Ada' } as const;
const clock = fixedClock(new Date('2026-11-22T08:00:00Z'));

function deps() {
  const config = memoryConfig();
  const log = audit();
  const values = new Map<string, string>();
  const settingsStore: SettingsStore & { writes: number } = {
    writes: 0,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void (settingsStore.writes++, values.set(key, JSON.stringify(value))),
    remove: async (key) => void (settingsStore.writes++, values.delete(key)),
  };
  const env = { KEYWARD_LOCAL_MODE: 'true' };
  const notify = {
    config,
    audit: log,
    urlPolicy: { localMode: true },
    emailConfig: async () => {
      const stored = await config.emailConfig();
      return stored ? { config: stored, source: 'table' as const } : null;
    },
    env,
    clock,
    deliveries: {} as never,
    sendNow: async () => undefined,
  };
  const settings = { settings: createSettingsResolver({ source: settingsStore, env }), settingsStore, env, audit: log };
  return { config, log, settingsStore, notify, settings };
}

const rule = { name: 'r', alertType: 'secret_expiring', deliveryMethod: 'email', recipients: ['a@contoso.com'] };

describe('audit first: a change whose audit entry cannot be written is not made', () => {
  const cases: [string, (d: ReturnType<typeof deps>) => Promise<unknown>][] = [
    ['route save', (d) => configService.saveRoute(d.notify, actor, route())],
    ['channel save', (d) => configService.saveChannel(d.notify, actor, { channelType: 'pagerduty', enabled: true })],
    ['email config save', (d) => configService.saveEmailConfig(d.notify, actor, email())],
    ['alert rule create', (d) => alerts.createRule(d.notify, actor, ruleInput())],
    ['snooze', (d) => alerts.snooze(d.notify, actor, 'item-1', { until: '2026-12-01T00:00:00Z', reason: 'r' })],
  ];
  it.each(cases)('%s: the append fails → the request fails and nothing is written', async (_, change) => {
    const d = deps();
    d.log.down = true;
    await expect(change(d)).rejects.toThrow('audit store unavailable');
    expect(d.config.writes).toBe(0);
  });

  it.each(cases)('%s: with the audit up, the entry is written before the change', async (_, change) => {
    const d = deps();
    let writesAtAppend = -1;
    const append = d.log.append;
    d.log.append = async (entry) => {
      writesAtAppend = d.config.writes;
      await append(entry);
    };
    await change(d);
    expect(writesAtAppend).toBe(0);
    expect(d.config.writes).toBe(1);
    expect(d.log.entries[0]?.outcome).toBe('success');
  });

  it('route, rule and snooze deletes and a rule update: no change without an entry', async () => {
    const d = deps();
    const saved = await configService.saveRoute(d.notify, actor, route());
    const created = await alerts.createRule(d.notify, actor, ruleInput());
    await alerts.snooze(d.notify, actor, 'item-1', { until: '2026-12-01T00:00:00Z', reason: 'r' });
    // The audit entry of a create names the id the store keeps.
    expect(d.log.entries.map((e) => e.target)).toEqual([`route ${saved.id}`, `rule ${created.id}`, 'item-1']);
    const before = d.config.writes;
    d.log.down = true;
    await expect(configService.deleteRoute(d.notify, actor, saved.id)).rejects.toThrow('audit store unavailable');
    await expect(alerts.deleteRule(d.notify, actor, created.id)).rejects.toThrow('audit store unavailable');
    await expect(alerts.updateRule(d.notify, actor, created.id, { enabled: false })).rejects.toThrow(
      'audit store unavailable',
    );
    await expect(alerts.unsnooze(d.notify, actor, 'item-1')).rejects.toThrow('audit store unavailable');
    expect(d.config.writes).toBe(before);
    expect(await d.config.listRoutes()).toHaveLength(1);
    expect((await d.config.rule(created.id))?.enabled).toBe(true);
    expect(await d.config.listSnoozes()).toHaveLength(1);
  });

  it('settings: put, reset, thresholds and general settings are not stored without their entry', async () => {
    const d = deps();
    d.log.down = true;
    const thresholds = { warningDays: 60, severeDays: 20, criticalDays: 5 };
    await expect(settingsService.saveSetting(d.settings, actor, thresholdsSetting, thresholds)).rejects.toThrow(
      'audit store unavailable',
    );
    await expect(
      settingsService.putSetting(d.settings, actor, 'notify', 'tagNames', { owner: 'o', team: 't' }),
    ).rejects.toThrow('audit store unavailable');
    await expect(
      settingsService.saveGeneralSettings(d.settings, actor, {
        notificationEmail: 'x@contoso.com',
        days30Enabled: false,
        days14Enabled: true,
        days7Enabled: true,
      }),
    ).rejects.toThrow('audit store unavailable');
    expect(d.settingsStore.writes).toBe(0);
    d.log.down = false;
    await settingsService.saveSetting(d.settings, actor, thresholdsSetting, thresholds);
    d.log.down = true;
    await expect(settingsService.resetSetting(d.settings, actor, 'notify', 'thresholds')).rejects.toThrow(
      'audit store unavailable',
    );
    expect((await d.settings.settings.resolve(thresholdsSetting)).value).toEqual(thresholds);
    // Once the audit is back the reset goes through, audited with the value it falls back to.
    d.log.down = false;
    await settingsService.resetSetting(d.settings, actor, 'notify', 'thresholds');
    expect(d.log.entries.at(-1)?.details).toMatchObject({ newValue: thresholdsSetting.default, reset: true });
    expect((await d.settings.settings.resolve(thresholdsSetting)).source).toBe('default');
  });
});

function route() {
  return { subscriptionId: '*', subscriptionName: '', teamName: 'Platform', notificationEmail: 'p@contoso.com' };
}
function email() {
  return {
    provider: 'smtp' as const,
    host: '127.0.0.1',
    port: 587,
    security: 'starttls' as const,
    fromAddress: 'k@contoso.com',
    fromName: 'Keyward',
  };
}
function ruleInput() {
  return {
    ...rule,
    alertType: 'secret_expiring' as const,
    deliveryMethod: 'email' as const,
    deliveryMode: 'immediate' as const,
    subscriptions: [],
    enabled: true,
  };
}
