import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettings } from '../../shared/config/app-settings';
import { renderSampleSettings } from './sample-settings';

describe('local.settings.sample.json', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'local.settings.sample.json'), 'utf8');

  it('is exactly what the app-settings list renders (run `npm run settings:sample` after adding a setting)', () => {
    expect(committed).toBe(renderSampleSettings());
  });

  it('names every app setting the app reads, and nothing else', () => {
    const values = (JSON.parse(committed) as { Values: Record<string, string> }).Values;
    expect(Object.keys(values).sort()).toEqual(Object.keys(appSettings).sort());
  });
});
