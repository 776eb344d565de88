import { isDeepStrictEqual } from 'node:util';
import {
  days14EnabledSetting,
  days30EnabledSetting,
  days7EnabledSetting,
  notificationEmailSetting,
  reminderModesSetting,
  thresholdsSetting,
} from '../notify/notify-settings';
import type { WebhookChannelType } from '../notify/notify-schemas';
import { routeIdOf } from './portability-schemas';
import type { ConfigChange, ConfigDocument, ConfigRoute } from './portability-types';

/**
 * One write of an import. Each sets a piece of configuration to its desired value (never "add" or "toggle"),
 * so applying a plan again, or planning again from a half-applied state, converges on the same result.
 */
export type ImportOperation =
  | { readonly kind: 'setting'; readonly key: string; readonly value: unknown }
  | { readonly kind: 'emailProvider'; readonly value: ConfigDocument['emailProvider'] }
  | { readonly kind: 'channel'; readonly type: WebhookChannelType; readonly enabled: boolean }
  | { readonly kind: 'saveRoute'; readonly route: Omit<ConfigRoute, 'webhookConfigured'> & { id: string } }
  | { readonly kind: 'deleteRoute'; readonly id: string };

export interface ImportPlan {
  readonly changes: ConfigChange[];
  readonly operations: ImportOperation[];
  readonly warnings: string[];
}

const generalSettings = {
  notificationEmail: notificationEmailSetting.key,
  days30Enabled: days30EnabledSetting.key,
  days14Enabled: days14EnabledSetting.key,
  days7Enabled: days7EnabledSetting.key,
} as const satisfies Record<keyof ConfigDocument['settings'], string>;

/** A route's fields an import writes (the webhook is not among them: its URL is never in a document). */
const routeFields = ({ webhookConfigured: _webhook, ...fields }: ConfigRoute) => fields;

/**
 * What importing `desired` over `current` (the export of the configuration in force) changes, in the order it
 * is written: settings, email provider, channels, routes saved, routes removed. Routes are the document's
 * whole list (a route absent from it is removed); channels not listed are left as they are.
 */
export function planImport(current: ConfigDocument, desired: ConfigDocument): ImportPlan {
  const changes: ConfigChange[] = [];
  const operations: ImportOperation[] = [];
  const warnings: string[] = [];
  const update = (path: string, from: unknown, to: unknown, operation: ImportOperation): void => {
    if (isDeepStrictEqual(from, to)) return;
    changes.push({ path, change: 'updated', from, to });
    operations.push(operation);
  };

  update('thresholds', current.thresholds, desired.thresholds, {
    kind: 'setting',
    key: thresholdsSetting.key,
    value: desired.thresholds,
  });
  for (const field of Object.keys(generalSettings) as (keyof typeof generalSettings)[]) {
    update(`settings.${field}`, current.settings[field], desired.settings[field], {
      kind: 'setting',
      key: generalSettings[field],
      value: desired.settings[field],
    });
  }
  update('reminderModes', current.reminderModes, desired.reminderModes, {
    kind: 'setting',
    key: reminderModesSetting.key,
    value: desired.reminderModes,
  });
  update('emailProvider', current.emailProvider, desired.emailProvider, {
    kind: 'emailProvider',
    value: desired.emailProvider,
  });

  for (const channel of desired.channels) {
    const enabled = current.channels.find((c) => c.type === channel.type)?.enabled ?? false;
    update(`channels.${channel.type}.enabled`, enabled, channel.enabled, { kind: 'channel', ...channel });
  }

  const existing = new Map(current.routes.map((route) => [routeIdOf(route), route]));
  const wanted = new Set<string>();
  for (const route of desired.routes) {
    const id = routeIdOf(route);
    wanted.add(id);
    const before = existing.get(id);
    const fields = { ...routeFields(route), id };
    if (!before) {
      changes.push({ path: `routes.${id}`, change: 'created', to: fields });
      operations.push({ kind: 'saveRoute', route: fields });
    } else {
      update(`routes.${id}`, { ...routeFields(before), id }, fields, { kind: 'saveRoute', route: fields });
    }
    if (route.webhookConfigured && !before?.webhookConfigured) {
      warnings.push(`Route ${id} (${route.teamName}) had a webhook; set its URL again with POST /api/routes.`);
    }
  }
  for (const [id, route] of existing) {
    if (wanted.has(id)) continue;
    changes.push({ path: `routes.${id}`, change: 'deleted', from: { ...routeFields(route), id } });
    operations.push({ kind: 'deleteRoute', id });
  }
  return { changes, operations, warnings };
}
