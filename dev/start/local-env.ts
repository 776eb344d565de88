import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localSettingValues } from '../../shared/config/app-settings';

/**
 * The app settings for a local run: the embedded local defaults from the app-settings list, then the user's own
 * `local.settings.json` (as `func start` reads it), then the endpoints of the emulators this run started — those
 * always win, because they only exist for this run.
 */
export function localAppSettings(repoRoot: string, runtime: Record<string, string>): Record<string, string> {
  const settings = localSettingValues();
  const userFile = join(repoRoot, 'local.settings.json');
  if (existsSync(userFile)) {
    const parsed = JSON.parse(readFileSync(userFile, 'utf8')) as { Values?: Record<string, unknown> };
    for (const [name, value] of Object.entries(parsed.Values ?? {})) {
      if (typeof value === 'string') settings[name] = value;
    }
  }
  return { ...settings, ...runtime };
}
