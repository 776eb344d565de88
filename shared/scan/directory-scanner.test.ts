import { directoryItems } from './directory-scanner';

describe('directoryItems', () => {
  const app = {
    id: 'obj-1',
    appId: 'app-1',
    displayName: 'Payments API',
    passwordCredentials: [
      { keyId: 'k1', displayName: 'primary', endDateTime: '2030-01-01T00:00:00Z', hint: 'abc' },
      { keyId: 'k2', displayName: null, endDateTime: '2029-01-01T00:00:00Z' },
    ],
    keyCredentials: [
      { keyId: 'k3', displayName: 'CN=sign', type: 'AsymmetricX509Cert', endDateTime: '2028-01-01T00:00:00Z' },
    ],
  };

  it('makes one item per credential, keyed by object and keyId, without the secret hint', () => {
    const items = directoryItems('entra_t', [{ kind: 'app', o: app }], 'scan-1');
    expect(items.map((i) => [i.type, i.name, i.row])).toEqual([
      ['appSecret', 'primary', 'appsecret_app_obj-1_k1'],
      ['appSecret', 'k2', 'appsecret_app_obj-1_k2'],
      ['appCertificate', 'CN=sign', 'appcertificate_app_obj-1_k3'],
    ]);
    expect(items[0]).toMatchObject({
      appId: 'app-1',
      appDisplayName: 'Payments API',
      expiresOn: '2030-01-01T00:00:00Z',
    });
    expect(JSON.stringify(items)).not.toContain('abc');
  });

  it('keeps an application and its service principal apart', () => {
    const items = directoryItems(
      'entra_t',
      [
        { kind: 'app', o: app },
        { kind: 'sp', o: app },
      ],
      'scan-1',
    );
    expect(new Set(items.map((i) => i.id)).size).toBe(6);
  });
});
