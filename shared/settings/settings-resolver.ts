import type { z } from 'zod';
import { readAppSetting, type AppSettingName } from '../config/app-settings';

/** Where a resolved setting's value came from. */
export type SettingSource = 'table' | 'appSetting' | 'default';

export interface Resolved<T> {
  readonly value: T;
  readonly source: SettingSource;
}

/**
 * A setting a feature declares once: the key admins change in Table Storage, the app setting that can
 * preset it, the default, and the schema every value (stored or configured) must satisfy.
 */
export interface SettingSpec<T> {
  readonly key: string;
  readonly schema: z.ZodType<T>;
  readonly appSetting?: AppSettingName;
  readonly default: T;
}

export function defineSetting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

/** Stored overrides (Table Storage in the app; a map in unit tests). Values are JSON text. */
export interface SettingsSource {
  get(key: string): Promise<string | null>;
}

export interface SettingsResolver {
  resolve<T>(spec: SettingSpec<T>): Promise<Resolved<T>>;
}

export interface SettingsLog {
  warn(message: string): void;
}

/**
 * Resolves Table Storage → app setting → default, in that order. A stored or configured value that fails
 * the schema is skipped with a warning (naming the key, never the value), so one bad edit cannot take a
 * feature down; the source tells the caller which layer won.
 */
export function createSettingsResolver(deps: {
  source: SettingsSource;
  env?: NodeJS.ProcessEnv;
  log?: SettingsLog;
}): SettingsResolver {
  const env = deps.env ?? process.env;
  // Stored values are JSON; app settings are plain strings, read as JSON only when the raw text does not fit
  // (so "600" satisfies a number schema and "abc" a string one).
  const parse = <T>(spec: SettingSpec<T>, raw: string, from: SettingSource): T | undefined => {
    if (from === 'appSetting') {
      const direct = spec.schema.safeParse(raw);
      if (direct.success) return direct.data;
    }
    let candidate: unknown;
    try {
      candidate = JSON.parse(raw);
    } catch {
      deps.log?.warn(`Setting ${spec.key} from ${from} is not valid; ignored`);
      return undefined;
    }
    const parsed = spec.schema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    deps.log?.warn(`Setting ${spec.key} from ${from} does not match its schema; ignored`);
    return undefined;
  };

  return {
    async resolve(spec) {
      const stored = await deps.source.get(spec.key);
      if (stored !== null) {
        const value = parse(spec, stored, 'table');
        if (value !== undefined) return { value, source: 'table' };
      }
      // Only a value actually set counts as the app-setting layer; the spec's default is the last layer.
      if (spec.appSetting && env[spec.appSetting]) {
        const value = parse(spec, readAppSetting(spec.appSetting, env), 'appSetting');
        if (value !== undefined) return { value, source: 'appSetting' };
      }
      return { value: spec.default, source: 'default' };
    },
  };
}
