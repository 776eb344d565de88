import {
  mergeVaultListing,
  type ListedCertificate,
  type ListedKey,
  type ListedObject,
  type VaultContext,
} from './item-merge';

const vault: VaultContext = {
  partition: 'sub_kv',
  subscriptionId: 'sub',
  subscriptionName: 'Sub',
  vaultName: 'kv',
  vaultId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
  vaultTags: { owner: 'team-a' },
};
const obj = (name: string, extra: Partial<ListedObject> = {}): ListedObject => ({
  name,
  version: 'v1',
  enabled: true,
  notBefore: null,
  expiresOn: new Date('2030-01-01T00:00:00Z'),
  createdOn: null,
  updatedOn: null,
  tags: {},
  managed: false,
  contentType: null,
  ...extra,
});
const cert = (name: string): ListedCertificate => ({ ...obj(name), thumbprint: 'AB', issuer: null, subject: null });
const key = (name: string, managed = false): ListedKey => ({ ...obj(name, { managed }), keyType: null, keySize: null });

describe('mergeVaultListing', () => {
  it('merges a certificate with its backing secret and key', () => {
    const items = mergeVaultListing(
      {
        source: 'keyvault',
        certificates: [cert('tls')],
        secrets: [obj('tls', { managed: true, contentType: 'application/x-pkcs12' }), obj('db')],
        keys: [key('tls', true), key('cmk')],
      },
      vault,
      'scan-1',
    );
    expect(items.map((i) => [i.type, i.name])).toEqual([
      ['certificate', 'tls'],
      ['key', 'cmk'],
      ['secret', 'db'],
    ]);
    expect(items[0]?.contentType).toBe('application/x-pkcs12');
    expect(items[0]?.vaultTags).toEqual({ owner: 'team-a' });
    expect(items[0]?.id).toBe('sub_kv~certificate_tls');
  });

  it('lets the backing secret stand in for a certificate the caller cannot list', () => {
    const items = mergeVaultListing(
      { source: 'keyvault', certificates: null, secrets: [obj('tls', { managed: true })], keys: null },
      vault,
      'scan-1',
    );
    expect(items.map((i) => [i.type, i.name])).toEqual([['certificate', 'tls']]);
  });

  it('gives the same ids for the same listing (idempotent writes)', () => {
    const listing = { source: 'keyvault' as const, certificates: [cert('a')], secrets: [obj('b')], keys: [key('c')] };
    expect(mergeVaultListing(listing, vault, 's1').map((i) => i.id)).toEqual(
      mergeVaultListing(listing, vault, 's2').map((i) => i.id),
    );
  });
});
