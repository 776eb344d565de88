import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettings, type AppSettingSpec } from '../shared/config/app-settings';
import { queueList } from '../shared/config/queues';
import { topicList } from '../shared/config/topics';
import { repoRoot } from './repo-root';

/**
 * Renders the JSON files the Bicep reads with `loadJsonContent`, from the one list of app settings, the one list of
 * queues and the one list of topics, so the deployment can't drift from the code. `npm run infra:config` rewrites
 * them; the infra tests fail while a committed file differs from what this renders.
 */
export const GENERATED_DIR = join(repoRoot(), 'infra', 'generated');

/** `{ "<setting>": "<default>" }` for every setting in the catalogue; required settings get `""` (the Bicep sets them). */
export function renderAppSettingsJson(): string {
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(appSettings) as [string, AppSettingSpec][]) {
    defaults[name] = spec.default ?? '';
  }
  return JSON.stringify(defaults, null, 2) + '\n';
}

/** The queue list as the Service Bus module iterates it. */
export function renderQueuesJson(): string {
  return JSON.stringify(queueList, null, 2) + '\n';
}

/** The topic list, each topic with its subscriptions, as the Service Bus module iterates it. */
export function renderTopicsJson(): string {
  return JSON.stringify(topicList, null, 2) + '\n';
}

export function writeGeneratedConfig(dir: string = GENERATED_DIR): string[] {
  const files = [
    { path: join(dir, 'app-settings.json'), content: renderAppSettingsJson() },
    { path: join(dir, 'queues.json'), content: renderQueuesJson() },
    { path: join(dir, 'topics.json'), content: renderTopicsJson() },
  ];
  for (const file of files) writeFileSync(file.path, file.content);
  return files.map((f) => f.path);
}

if (require.main === module) {
  for (const path of writeGeneratedConfig()) console.log(`wrote ${path}`);
}
