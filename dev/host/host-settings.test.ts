import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTimeSpan, readHostSettings, resolveSetting } from './host-settings';

describe('host settings', () => {
  it('parses .NET TimeSpans', () => {
    expect(parseTimeSpan('00:05:00')).toBe(300_000);
    expect(parseTimeSpan('1.02:00:30.5')).toBe(((24 + 2) * 3600 + 30) * 1000 + 500);
    expect(() => parseTimeSpan('5m')).toThrow(/TimeSpan/);
  });

  it('resolves %SETTING% expressions and leaves literals alone', () => {
    expect(resolveSetting('%QUEUE%', { QUEUE: 'scan-plan' })).toBe('scan-plan');
    expect(resolveSetting('literal-queue', {})).toBe('literal-queue');
    expect(() => resolveSetting('%MISSING%', {})).toThrow(/MISSING/);
  });

  it("reads Keyward's host.json: empty route prefix and Service Bus settings", () => {
    const settings = readHostSettings(join(__dirname, '..', '..'), {});
    expect(settings.routePrefix).toBe('');
    expect(settings.serviceBus).toMatchObject({ maxConcurrentCalls: 16, maxAutoLockRenewalDurationMs: 300_000 });
  });

  it("defaults the prefix to 'api', and lets the app setting override it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-hostjson-'));
    writeFileSync(join(dir, 'host.json'), '{"version":"2.0"}');
    expect(readHostSettings(dir, {}).routePrefix).toBe('api');
    expect(readHostSettings(dir, { AzureFunctionsJobHost__extensions__http__routePrefix: '/v1/' }).routePrefix).toBe(
      'v1',
    );
  });
});
