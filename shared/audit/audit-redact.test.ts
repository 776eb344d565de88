import { REDACTED, isSensitiveKey, redactDetails } from './audit-redact';

describe('redactDetails', () => {
  it('redacts secret-named keys at any depth, keeping names, ids and counts', () => {
    const redacted = redactDetails({
      password: 'p',
      clientSecret: 's',
      webhookUrl: 'https://example.test/hook',
      connectionString: 'c',
      apiKey: 'k',
      nested: { list: [{ accessToken: 't', secretName: 'db-password', keyId: 'kid-1' }] },
      secretCount: 3,
      setting: 'timezone',
    });
    expect(redacted).toEqual({
      password: REDACTED,
      clientSecret: REDACTED,
      webhookUrl: REDACTED,
      connectionString: REDACTED,
      apiKey: REDACTED,
      nested: { list: [{ accessToken: REDACTED, secretName: 'db-password', keyId: 'kid-1' }] },
      secretCount: 3,
      setting: 'timezone',
    });
  });

  it('redacts secret-looking values whatever their key', () => {
    const values = {
      a: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;',
      b: 'Endpoint=sb://x/;SharedAccessKeyName=r;SharedAccessKey=abc=',
      c: 'https://acct.blob.core.windows.net/c/b?sv=2024&sig=abc',
      d: 'https://contoso.webhook.office.com/webhookb2/abc',
      e: 'Bearer abc.def.ghi',
      f: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      g: 'https://user:pass@example.test/',
      keep: 'https://kv-prod.vault.azure.net/secrets/db',
    };
    expect(redactDetails(values)).toEqual({
      ...Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED])),
      keep: values.keep,
    });
  });

  it('turns non-JSON values into JSON and drops undefined', () => {
    expect(redactDetails({ at: new Date('2026-11-22T00:00:00Z'), n: Number.NaN, u: undefined, big: 10n })).toEqual({
      at: '2026-11-22T00:00:00.000Z',
      n: null,
      big: '10',
    });
  });

  it('classifies key names', () => {
    expect(['token', 'sasToken', 'privateKey', 'authorization', 'smtpPassword'].every(isSensitiveKey)).toBe(true);
    expect(['vaultName', 'apiKeyId', 'tokenCount', 'outcome', 'days'].some(isSensitiveKey)).toBe(false);
  });
});
