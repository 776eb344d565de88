import { appSettings, type AppSettingSpec } from '../../shared/config/app-settings';

/**
 * Renders `local.settings.sample.json` from the app-settings list, so the sample always names every setting the
 * app reads with a value that works locally. `npm start` fills the emulator endpoints in itself.
 */
export function renderSampleSettings(): string {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(appSettings) as [string, AppSettingSpec][]) values[name] = spec.local;
  return JSON.stringify({ IsEncrypted: false, Values: values }, null, 2) + '\n';
}
