import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSampleSettings } from './sample-settings';

// `npm run settings:sample` — regenerates local.settings.sample.json after a setting is added to the list.
const target = join(__dirname, '..', '..', '..', 'local.settings.sample.json');
writeFileSync(target, renderSampleSettings());
console.log(`wrote ${target}`);
