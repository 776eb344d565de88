import { z } from 'zod';
import { defaultThresholds, thresholdsAreOrdered, type Thresholds } from '../inventory/severity';
import { defineSetting, type SettingSpec } from '../settings/settings-resolver';
import { reminderModes, type ReminderMode, type ThresholdLevel } from './notify-schemas';

const days = z.number().int().min(1).max(3650);

/** `warningDays > severeDays > criticalDays ≥ 1`, as VaultGuard360 validates `POST /api/thresholds`. */
export const thresholdsSchema = z
  .object({ warningDays: days, severeDays: days, criticalDays: days })
  .refine((t) => thresholdsAreOrdered(t), { message: 'warningDays > severeDays > criticalDays ≥ 1 is required' });

export function splitEmails(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** Comma-separated addresses (VaultGuard360 allows a list in one field). Empty means "none". */
export const emailListSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => splitEmails(value).every((email) => z.email().safeParse(email).success), {
    message: 'a comma-separated list of email addresses',
  });

/** `GET/POST /api/settings`: the default recipients and one switch per threshold (named for the default days). */
export const generalSettingsSchema = z.object({
  notificationEmail: emailListSchema,
  days30Enabled: z.boolean(),
  days14Enabled: z.boolean(),
  days7Enabled: z.boolean(),
});
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

export const reminderModesSchema = z.object({
  warning: z.enum(reminderModes),
  severe: z.enum(reminderModes),
  critical: z.enum(reminderModes),
});
export type ReminderModes = Record<ThresholdLevel, ReminderMode>;

/** Vault tag names that name an item's owner (emails) and team; they win over subscription routes. */
export const tagNamesSchema = z.object({
  owner: z.string().trim().min(1).max(128),
  team: z.string().trim().min(1).max(128),
});
export type TagNames = z.infer<typeof tagNamesSchema>;

export const thresholdsSetting = defineSetting<Thresholds>({
  key: 'notify.thresholds',
  schema: thresholdsSchema,
  default: defaultThresholds,
});

/** The default recipients: last in the routing order. An app setting can preset it for a fresh install. */
export const notificationEmailSetting = defineSetting<string>({
  key: 'notify.notificationEmail',
  schema: emailListSchema,
  appSetting: 'NOTIFY_DEFAULT_EMAIL',
  default: '',
});

const enabledSwitch = (key: string): SettingSpec<boolean> => defineSetting({ key, schema: z.boolean(), default: true });
export const days30EnabledSetting = enabledSwitch('notify.days30Enabled');
export const days14EnabledSetting = enabledSwitch('notify.days14Enabled');
export const days7EnabledSetting = enabledSwitch('notify.days7Enabled');

/** VaultGuard360 does not publish its defaults; these keep a warning quiet (weekly) and the urgent levels daily. */
export const reminderModesSetting = defineSetting<ReminderModes>({
  key: 'notify.reminderModes',
  schema: reminderModesSchema,
  default: { warning: 'weekly', severe: 'daily', critical: 'daily' },
});

export const tagNamesSetting = defineSetting<TagNames>({
  key: 'notify.tagNames',
  schema: tagNamesSchema,
  default: { owner: 'owner', team: 'team' },
});

/** Every notification setting, for `GET /api/settings/effective`. */
export const notifySettingSpecs: readonly SettingSpec<unknown>[] = [
  thresholdsSetting,
  notificationEmailSetting,
  days30EnabledSetting,
  days14EnabledSetting,
  days7EnabledSetting,
  reminderModesSetting,
  tagNamesSetting,
] as readonly SettingSpec<unknown>[];
