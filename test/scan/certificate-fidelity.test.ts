import { createHash, X509Certificate } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../../dev/azure-sim/azure-sim';
import { useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { createCloudClients, type CloudClients } from '../../shared/cloud/cloud-clients';
import type { InventoryItem } from '../../shared/inventory/inventory-item';
import { toItemEntity } from '../../shared/inventory/inventory-entity';
import { mergeVaultListing } from '../../shared/scan/item-merge';
import type { RetryOptions } from '../../shared/scan/scan-retry';
import { addDetails, jwkSize } from '../../shared/scan/vault-details';
import { listVault, vaultDataClients } from '../../shared/scan/vault-lister';

const SUB = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';
const tenant: TenantDocument = {
  tenantId: '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f',
  displayName: 'Certificates',
  caller: {
    objectId: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
    appId: '0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b',
    displayName: 'kw',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'sub',
      vaults: [
        {
          name: 'kv-certs',
          resourceGroup: 'rg',
          access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
          certificates: [
            { name: 'tls-soon', expiresInDays: 12, notBeforeInDays: -30, subject: 'CN=soon.contoso.com' },
            { name: 'tls-versions', expiresInDays: 200, versions: 3, issuer: 'CN=Other CA' },
            // No expiry in the document: a certificate still gets one (Key Vault's default 12 months).
            { name: 'tls-default' },
          ],
        },
      ],
    },
  ],
};

const retry: RetryOptions = { attempts: 2, sleep: async () => undefined, nowMs: () => Date.now() };
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('certificates as Key Vault keeps them', () => {
  let sim: RunningAzureSim;
  let cloud: CloudClients;
  let restoreEnv: () => void;
  let vault: { uri: string; id: string };
  beforeAll(async () => {
    sim = await startAzureSim({ tenant });
    restoreEnv = useSimIdentityEnv(sim);
    const settings = { armEndpoint: sim.armEndpoint, graphEndpoint: sim.graphEndpoint, simulator: true };
    cloud = createCloudClients({ ...settings, caCertPem: sim.caCertPem }, new ManagedIdentityCredential());
    const v = await cloud.keyVaultManagement(SUB).vaults.get('rg', 'kv-certs');
    vault = { uri: v.properties.vaultUri ?? '', id: v.id ?? '' };
  });
  afterAll(async () => {
    restoreEnv?.();
    await sim?.stop();
  });

  it('carry x5t = base64url(SHA-1(cer)), nbf/exp = notBefore/notAfter, the policy key in cer, and an expiry', async () => {
    const data = vaultDataClients(cloud, vault.uri, {});
    const listed = new Map<string, Uint8Array | undefined>();
    for await (const p of data.certificates.listPropertiesOfCertificates()) listed.set(p.name ?? '', p.x509Thumbprint);
    expect([...listed.keys()].sort()).toEqual(['tls-default', 'tls-soon', 'tls-versions']);
    for (const name of listed.keys()) {
      const cert = await data.certificates.getCertificate(name);
      const der = Buffer.from(cert.cer ?? new Uint8Array());
      const x509 = new X509Certificate(der);
      const sha1 = createHash('sha1').update(der).digest('base64url');
      expect(b64url(cert.properties.x509Thumbprint ?? new Uint8Array())).toBe(sha1);
      expect(b64url(listed.get(name) ?? new Uint8Array())).toBe(sha1);
      expect(cert.properties.expiresOn).toBeInstanceOf(Date);
      expect(cert.properties.expiresOn?.getTime()).toBe(Date.parse(x509.validTo));
      expect(cert.properties.notBefore?.getTime()).toBe(Date.parse(x509.validFrom));
      const key = x509.publicKey;
      expect(key.asymmetricKeyType).toBe('rsa');
      expect(cert.policy?.keyType).toBe('RSA');
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(cert.policy?.keySize);
    }
    data.close();
  });

  it('stores one thumbprint form: a rescan of unchanged certificates writes byte-identical rows', async () => {
    const context = {
      partition: `${SUB}_kv-certs`,
      subscriptionId: SUB,
      subscriptionName: 'sub',
      vaultName: 'kv-certs',
      vaultId: vault.id,
      vaultTags: {},
    };
    const scanOnce = async (existing: ReadonlyMap<string, InventoryItem>): Promise<InventoryItem[]> => {
      const data = vaultDataClients(cloud, vault.uri, {});
      const { listing } = await listVault(data, retry);
      // One scan id for both, so the row differs only if what was read differs.
      const drafts = await addDetails(mergeVaultListing(listing, context, 'scan-1'), existing, data, retry);
      data.close();
      return drafts
        .filter((d) => d.type === 'certificate')
        .map((d): InventoryItem => ({ ...d, severity: 'healthy', excluded: false }));
    };
    const first = await scanOnce(new Map());
    const reads = sim.requestLog().length;
    const second = await scanOnce(new Map(first.map((i) => [i.row, i])));
    // The rescan read no certificate again (the details were carried over), and wrote the same bytes.
    expect(
      sim
        .requestLog()
        .slice(reads)
        .filter((r) => /^\/certificates\/[^?]/.test(r.path)),
    ).toEqual([]);
    expect(first).toHaveLength(3);
    for (const item of first) expect(item.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(JSON.stringify(second.map(toItemEntity))).toBe(JSON.stringify(first.map(toItemEntity)));
  });

  it("reports the real size of a certificate's key: a 2048-bit modulus is 2048", async () => {
    const data = vaultDataClients(cloud, vault.uri, {});
    const key = await data.keys.getKey('tls-soon');
    const cert = await data.certificates.getCertificate('tls-soon');
    data.close();
    const fromCer = new X509Certificate(Buffer.from(cert.cer ?? new Uint8Array())).publicKey;
    expect(fromCer.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(jwkSize(key.key)).toBe(2048);
    // The key Key Vault returns is the certificate's own key.
    expect(Buffer.from(key.key?.n ?? new Uint8Array()).toString('base64url')).toBe(fromCer.export({ format: 'jwk' }).n);
  });
});
