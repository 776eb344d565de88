import type { z } from 'zod';
import type { AuditActor } from '../audit/audit-types';
import { auditedChange } from '../auth/auth-audit';
import { appSettings, type AppSettingSpec } from '../config/app-settings';
import { badRequest, notFound } from '../http/http-errors';
import { createSettingsResolver, type SettingSpec, type SettingsResolver } from '../settings/settings-resolver';
import type { SettingsStore } from '../settings/settings-store';
import type { effectiveSettingSchema } from './notify-api-schemas';
import type { NotifyAudit } from './notify-audit';
import {
  days14EnabledSetting,
  days30EnabledSetting,
  days7EnabledSetting,
  notificationEmailSetting,
  notifySettingSpecs,
  reminderModesSetting,
  thresholdsSetting,
  type GeneralSettings,
} from './notify-settings';

type EffectiveSetting = z.infer<typeof effectiveSettingSchema>;
interface Deps {
  readonly settings: SettingsResolver;
  readonly settingsStore: SettingsStore;
  readonly env: NodeJS.ProcessEnv;
  readonly audit: NotifyAudit;
}

const MASK = '********';

/** Audits old → new, then stores the setting (notification settings hold no secrets). */
async function store<T>(deps: Deps, actor: AuditActor, spec: SettingSpec<T>, value: T): Promise<void> {
  const before = await deps.settings.resolve(spec);
  const thresholds = spec.key === thresholdsSetting.key || spec.key === reminderModesSetting.key;
  const entry = {
    actor,
    action: thresholds ? 'settings.thresholds.updated' : 'settings.updated',
    target: spec.key,
    outcome: 'success',
    details: { setting: spec.key, oldValue: before.value, newValue: value, oldSource: before.source },
  } as const;
  await auditedChange(deps.audit, entry, () => deps.settingsStore.set(spec.key, value, actor.id ?? 'system'));
}

export async function generalSettings(deps: Deps): Promise<GeneralSettings> {
  const [email, d30, d14, d7] = await Promise.all([
    deps.settings.resolve(notificationEmailSetting),
    deps.settings.resolve(days30EnabledSetting),
    deps.settings.resolve(days14EnabledSetting),
    deps.settings.resolve(days7EnabledSetting),
  ]);
  return { notificationEmail: email.value, days30Enabled: d30.value, days14Enabled: d14.value, days7Enabled: d7.value };
}

export async function saveGeneralSettings(
  deps: Deps,
  actor: AuditActor,
  input: GeneralSettings,
): Promise<GeneralSettings> {
  const current = await generalSettings(deps);
  if (current.notificationEmail !== input.notificationEmail)
    await store(deps, actor, notificationEmailSetting, input.notificationEmail);
  if (current.days30Enabled !== input.days30Enabled)
    await store(deps, actor, days30EnabledSetting, input.days30Enabled);
  if (current.days14Enabled !== input.days14Enabled)
    await store(deps, actor, days14EnabledSetting, input.days14Enabled);
  if (current.days7Enabled !== input.days7Enabled) await store(deps, actor, days7EnabledSetting, input.days7Enabled);
  return generalSettings(deps);
}

export async function saveSetting<T>(deps: Deps, actor: AuditActor, spec: SettingSpec<T>, value: T): Promise<T> {
  await store(deps, actor, spec, value);
  return (await deps.settings.resolve(spec)).value;
}

const splitKey = (key: string): { category: string; key: string } => {
  const at = key.indexOf('.');
  return { category: key.slice(0, at), key: key.slice(at + 1) };
};

async function effectiveOf(deps: Deps, spec: SettingSpec<unknown>): Promise<EffectiveSetting> {
  const resolved = await deps.settings.resolve(spec);
  return { ...splitKey(spec.key), value: resolved.value, source: resolved.source, secret: false, editable: true };
}

/** Table-backed settings first, then every app setting (secrets masked: whether set, never the value). */
export async function effectiveSettings(deps: Deps): Promise<EffectiveSetting[]> {
  const out: EffectiveSetting[] = [];
  for (const spec of notifySettingSpecs) out.push(await effectiveOf(deps, spec));
  for (const [name, spec] of Object.entries(appSettings) as [string, AppSettingSpec][]) {
    const set = deps.env[name] !== undefined && deps.env[name] !== '';
    const value = set ? deps.env[name] : (spec.default ?? '');
    out.push({
      category: 'appSettings',
      key: name,
      value: spec.secret ? (set ? MASK : '') : value,
      source: set ? 'appSetting' : 'default',
      secret: spec.secret === true,
      editable: false,
    });
  }
  return out;
}

function specFor(category: string, key: string): SettingSpec<unknown> {
  const spec = notifySettingSpecs.find((s) => s.key === `${category}.${key}`);
  if (!spec) throw notFound(`No editable setting ${category}/${key}.`);
  return spec;
}

export async function putSetting(
  deps: Deps,
  actor: AuditActor,
  category: string,
  key: string,
  value: unknown,
): Promise<EffectiveSetting> {
  const spec = specFor(category, key);
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    throw badRequest(
      `Invalid value for ${category}/${key}.`,
      parsed.error.issues.map((issue) => ({
        field: ['body', 'value', ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  }
  await store(deps, actor, spec, parsed.data);
  return effectiveOf(deps, spec);
}

export async function resetSetting(
  deps: Deps,
  actor: AuditActor,
  category: string,
  key: string,
): Promise<EffectiveSetting> {
  const spec = specFor(category, key);
  const before = await deps.settings.resolve(spec);
  // What the setting falls back to once its stored value is gone, known before the removal so it can be audited.
  const fallback = await createSettingsResolver({ source: { get: async () => null }, env: deps.env }).resolve(spec);
  const entry = {
    actor,
    action: 'settings.updated',
    target: spec.key,
    outcome: 'success',
    details: { setting: spec.key, oldValue: before.value, newValue: fallback.value, reset: true },
  } as const;
  await auditedChange(deps.audit, entry, () => deps.settingsStore.remove(spec.key));
  return effectiveOf(deps, spec);
}
