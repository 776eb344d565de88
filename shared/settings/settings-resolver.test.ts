import { z } from 'zod';
import { createSettingsResolver, defineSetting, type SettingsSource } from './settings-resolver';

const threshold = defineSetting({
  key: 'rateLimitRead',
  schema: z.number().int().positive(),
  appSetting: 'KEYWARD_RATE_LIMIT_READ',
  default: 600,
});

function source(values: Record<string, string>): SettingsSource {
  return { get: async (key) => values[key] ?? null };
}

describe('settings resolution', () => {
  it('prefers the stored value and says so', async () => {
    const resolver = createSettingsResolver({
      source: source({ rateLimitRead: '5' }),
      env: { KEYWARD_RATE_LIMIT_READ: '7' },
    });
    expect(await resolver.resolve(threshold)).toEqual({ value: 5, source: 'table' });
  });

  it('falls back to the app setting, reading numbers from its text', async () => {
    const resolver = createSettingsResolver({ source: source({}), env: { KEYWARD_RATE_LIMIT_READ: '7' } });
    expect(await resolver.resolve(threshold)).toEqual({ value: 7, source: 'appSetting' });
  });

  it('falls back to the default when nothing is set', async () => {
    const resolver = createSettingsResolver({ source: source({}), env: {} });
    expect(await resolver.resolve(threshold)).toEqual({ value: 600, source: 'default' });
  });

  it('skips an invalid stored value with a warning that does not contain the value', async () => {
    const warnings: string[] = [];
    const resolver = createSettingsResolver({
      source: source({ rateLimitRead: '"not-a-number-secretish"' }),
      env: { KEYWARD_RATE_LIMIT_READ: '9' },
      log: { warn: (message) => warnings.push(message) },
    });
    expect(await resolver.resolve(threshold)).toEqual({ value: 9, source: 'appSetting' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('rateLimitRead');
    expect(warnings[0]).not.toContain('secretish');
  });

  it('keeps string app settings as text', async () => {
    const mode = defineSetting({
      key: 'licenseUrl',
      schema: z.string().url(),
      appSetting: 'KEYWARD_LICENSE_URL',
      default: 'https://a.example',
    });
    const resolver = createSettingsResolver({
      source: source({}),
      env: { KEYWARD_LICENSE_URL: 'https://b.example/x' },
    });
    expect(await resolver.resolve(mode)).toEqual({ value: 'https://b.example/x', source: 'appSetting' });
  });
});
