import { apiKeyId, apiKeyMatches, bearerApiKey, generateApiKey, hashApiKey } from './api-key-format';

describe('API key format', () => {
  it('generates distinct keys whose id, prefix and hash belong together', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(apiKeyId(a.key)).toBe(a.id);
    expect(a.key.startsWith(`${a.prefix}_`)).toBe(true);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(16));
  });

  it('matches only the key that produced the hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(apiKeyMatches(b.key, a.hash)).toBe(false);
    expect(apiKeyMatches(a.key, 'abcd')).toBe(false);
  });

  it('rejects malformed keys and reads bearer headers', () => {
    expect(apiKeyId('kw_short_x')).toBeNull();
    expect(apiKeyId('ck_live_abc')).toBeNull();
    const { key } = generateApiKey();
    expect(bearerApiKey(`Bearer ${key}`)).toBe(key);
    expect(bearerApiKey(`Basic ${key}`)).toBeNull();
    expect(bearerApiKey(null)).toBeNull();
  });
});
