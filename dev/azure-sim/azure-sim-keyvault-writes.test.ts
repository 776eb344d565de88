import { createHash, createPublicKey, generateKeyPairSync, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import forge from 'node-forge';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from './azure-sim';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from './azure-sim-clients';

// Oracles here are node:crypto and node-forge reading what the SDKs return: a signature must verify against the
// public key Key Vault published or the certificate it issued, and the PKCS#12 must hold the certificate's own key.
jest.setTimeout(60_000);

const SUB = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
type VaultDoc = TenantDocument['subscriptions'][number]['vaults'] extends (infer V)[] | undefined ? V : never;
const vault = (name: string, access: VaultDoc['access'], extra: Partial<VaultDoc> = {}): VaultDoc => ({
  name,
  resourceGroup: 'rg',
  access,
  ...extra,
});
const TENANT: TenantDocument = {
  tenantId: '7f0c3a52-1d2e-4b3c-9a8d-0e1f2a3b4c5d',
  displayName: 'Writes',
  caller: {
    objectId: '1a2b3c4d-0000-4000-8000-000000000001',
    appId: '1a2b3c4d-0000-4000-8000-000000000002',
    displayName: 'app',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'Sub',
      vaults: [
        vault(
          'kv-admin',
          { model: 'rbac', callerRoles: ['Key Vault Administrator'] },
          { certificates: [{ name: 'seeded-cert', subject: 'CN=seeded', issuer: 'CN=seeded', expiresInDays: 90 }] },
        ),
        vault('kv-crypto', { model: 'rbac', callerRoles: ['Key Vault Crypto User'] }, { keys: [{ name: 'signer' }] }),
        vault('kv-reader', { model: 'rbac', callerRoles: ['Key Vault Reader'] }, { keys: [{ name: 'signer' }] }),
        vault(
          'kv-policy',
          { model: 'accessPolicy', keys: ['get', 'list'], certificates: ['get', 'list', 'create'] },
          { keys: [{ name: 'signer' }] },
        ),
      ],
    },
  ],
};

let sim: RunningAzureSim;
let restoreEnv: () => void;
const credential = new ManagedIdentityCredential();
const uris = new Map<string, string>();

beforeAll(async () => {
  // The system clock: CryptographyClient checks a key's validity against the real time before it signs.
  sim = await startAzureSim({ tenant: TENANT });
  restoreEnv = useSimIdentityEnv(sim);
  const arm = new KeyVaultManagementClient(credential, SUB, simArmOptions(sim));
  for await (const v of arm.vaults.listBySubscription()) uris.set(v.name ?? '', v.properties.vaultUri ?? '');
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

const options = () => simKeyVaultOptions(sim, 0);
const keys = (v: string) => new KeyClient(uris.get(v) ?? '', credential, options());
const certs = (v: string) => new CertificateClient(uris.get(v) ?? '', credential, options());
const secrets = (v: string) => new SecretClient(uris.get(v) ?? '', credential, options());
const crypto = (kid: string) => new CryptographyClient(kid, credential, options());
const sha256 = (text: string) => createHash('sha256').update(text).digest();

async function failure(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected a failure');
}

/** The public key a KeyVaultKey publishes, as node:crypto reads a JWK. */
function publicKeyOf(key: {
  key?: { kty?: string; n?: Uint8Array; e?: Uint8Array; crv?: string; x?: Uint8Array; y?: Uint8Array };
}) {
  const k = key.key ?? {};
  const b64 = (b?: Uint8Array) => Buffer.from(b ?? []).toString('base64url');
  return k.kty?.startsWith('EC')
    ? createPublicKey({ key: { kty: 'EC', crv: k.crv ?? '', x: b64(k.x), y: b64(k.y) }, format: 'jwk' })
    : createPublicKey({ key: { kty: 'RSA', n: b64(k.n), e: b64(k.e) }, format: 'jwk' });
}

describe('keys: create, publish the public half, sign', () => {
  test('an RSA key signs RS256 over a digest; the signature verifies with the published public key alone', async () => {
    const created = await keys('kv-admin').createRsaKey('audit-signing', { keySize: 3072, keyOps: ['sign', 'verify'] });
    expect(created.keyType).toBe('RSA');
    expect(created.key?.n?.length).toBe(384);
    expect(created.keyOperations).toEqual(['sign', 'verify']);
    // The private half is never returned.
    expect((created.key as Record<string, unknown>).d).toBeUndefined();
    const fetched = await keys('kv-admin').getKey('audit-signing');
    expect(Buffer.from(fetched.key?.n ?? []).equals(Buffer.from(created.key?.n ?? []))).toBe(true);

    const result = await crypto(created.id ?? '').sign('RS256', sha256('manifest'));
    expect(result.keyID).toBe(created.id);
    expect(verify('sha256', Buffer.from('manifest'), publicKeyOf(fetched), Buffer.from(result.result))).toBe(true);
    expect(verify('sha256', Buffer.from('other'), publicKeyOf(fetched), Buffer.from(result.result))).toBe(false);
    // A key created through the API has Key Vault's default rotation policy (one Notify 30 days before expiry).
    const policy = await keys('kv-admin').getKeyRotationPolicy('audit-signing');
    expect(policy.lifetimeActions).toEqual([{ action: 'Notify', timeBeforeExpiry: 'P30D' }]);
  });

  test('an EC key signs ES256 as raw r||s, and signData hashes locally before the service signs', async () => {
    const created = await keys('kv-admin').createEcKey('ec-signing', { curve: 'P-256' });
    const result = await crypto(created.id ?? '').signData('ES256', Buffer.from('checkpoint'));
    expect(result.result.length).toBe(64);
    const key = { key: publicKeyOf(created), dsaEncoding: 'ieee-p1363' as const };
    expect(verify('sha256', Buffer.from('checkpoint'), key, Buffer.from(result.result))).toBe(true);
    const p384 = await keys('kv-admin').createEcKey('ec-384', { curve: 'P-384' });
    const sig = await crypto(p384.id ?? '').sign('ES384', createHash('sha384').update('x').digest());
    expect(
      verify(
        'sha384',
        Buffer.from('x'),
        { key: publicKeyOf(p384), dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig.result),
      ),
    ).toBe(true);
  });

  test('a new version has its own key pair; an older version still signs with its own', async () => {
    const first = await keys('kv-admin').createRsaKey('versioned');
    const second = await keys('kv-admin').createRsaKey('versioned');
    expect(Buffer.from(first.key?.n ?? []).equals(Buffer.from(second.key?.n ?? []))).toBe(false);
    const old = await crypto(first.id ?? '').sign('RS256', sha256('a'));
    expect(verify('sha256', Buffer.from('a'), publicKeyOf(first), Buffer.from(old.result))).toBe(true);
    expect(verify('sha256', Buffer.from('a'), publicKeyOf(second), Buffer.from(old.result))).toBe(false);
  });

  test('Key Vault refusals: key size, symmetric keys, wrong algorithm, digest length, key_ops, disabled key', async () => {
    expect(await failure(keys('kv-admin').createRsaKey('small', { keySize: 1024 }))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    expect(await failure(keys('kv-admin').createKey('sym', 'oct-HSM'))).toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    expect(await failure(keys('kv-admin').createRsaKey('bad_name'))).toMatchObject({ statusCode: 400 });
    const rsa = await keys('kv-admin').createRsaKey('refusals');
    expect(await failure(crypto(rsa.id ?? '').sign('ES256', sha256('a')))).toMatchObject({ statusCode: 400 });
    expect(await failure(crypto(rsa.id ?? '').sign('RS256', Buffer.alloc(20)))).toMatchObject({ statusCode: 400 });
    const verifyOnly = await keys('kv-admin').createRsaKey('verify-only', { keyOps: ['verify'] });
    // The SDK reads key_ops from the published key and refuses before it calls the service.
    expect((await failure(crypto(verifyOnly.id ?? '').sign('RS256', sha256('a')))).message).toMatch(
      /Operation sign is not supported/,
    );
    const disabled = await keys('kv-admin').createRsaKey('disabled', { enabled: false });
    expect(await failure(crypto(disabled.id ?? '').sign('RS256', sha256('a')))).toMatchObject({ statusCode: 403 });
  });

  test('sign needs keys/sign: Crypto User may, Reader may not, an access policy without "sign" may not', async () => {
    const signer = await keys('kv-crypto').getKey('signer');
    const ok = await crypto(signer.id ?? '').sign('RS256', sha256('ok'));
    expect(verify('sha256', Buffer.from('ok'), publicKeyOf(signer), Buffer.from(ok.result))).toBe(true);
    // Crypto User cannot create keys.
    expect(await failure(keys('kv-crypto').createRsaKey('nope'))).toMatchObject({ statusCode: 403, code: 'Forbidden' });
    const readerKey = await keys('kv-reader').getKey('signer');
    const denied = await failure(crypto(readerKey.id ?? '').sign('RS256', sha256('no')));
    expect(denied).toMatchObject({ statusCode: 403 });
    expect(denied.message).toContain('Microsoft.KeyVault/vaults/keys/sign/action');
    const policyKey = await keys('kv-policy').getKey('signer');
    expect(await failure(crypto(policyKey.id ?? '').sign('RS256', sha256('no')))).toMatchObject({ statusCode: 403 });
  });
});

/** The key and certificate of a base64 PKCS#12 (no password), read with node-forge. */
function readPfx(base64: string): { key: KeyObject; cert: X509Certificate } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(base64)), '');
  const bag = (type = '') => p12.getBags({ bagType: type })[type]?.[0];
  const keyBag = bag(forge.pki.oids.pkcs8ShroudedKeyBag);
  const certBag = bag(forge.pki.oids.certBag);
  if (!keyBag?.key || !certBag?.cert) throw new Error('PKCS#12 without key or certificate');
  return {
    key: createPublicKey(forge.pki.privateKeyToPem(keyBag.key)),
    cert: new X509Certificate(forge.pki.certificateToPem(certBag.cert)),
  };
}

describe('certificates: create, import, and the managed key and secret', () => {
  test('a self-issued certificate is created through the poller, with a consistent cer, x5t, key and PKCS#12', async () => {
    const poller = await certs('kv-admin').beginCreateCertificate(
      'app-cert',
      { issuerName: 'Self', subject: 'CN=app.contoso.com', validityInMonths: 3 },
      { intervalInMs: 0 },
    );
    const cert = await poller.pollUntilDone();
    const x509 = new X509Certificate(Buffer.from(cert.cer ?? []));
    expect(x509.subject).toBe('CN=app.contoso.com');
    expect(Buffer.from(cert.properties.x509Thumbprint ?? []).toString('hex')).toBe(
      createHash('sha1')
        .update(Buffer.from(cert.cer ?? []))
        .digest('hex'),
    );
    expect(cert.properties.expiresOn?.toISOString()).toBe(new Date(x509.validTo).toISOString());
    expect(x509.verify(x509.publicKey)).toBe(true);

    const secret = await secrets('kv-admin').getSecret('app-cert');
    expect(secret.properties.contentType).toBe('application/x-pkcs12');
    expect(secret.properties.version).toBe(cert.properties.version);
    const pfx = readPfx(secret.value ?? '');
    expect(pfx.cert.fingerprint256).toBe(x509.fingerprint256);
    expect(pfx.key.export({ format: 'jwk' })).toEqual(x509.publicKey.export({ format: 'jwk' }));

    // The managed key signs with the certificate's private key (a proof-of-possession JWT is made this way).
    const key = await keys('kv-admin').getKey('app-cert');
    const sig = await crypto(key.id ?? '').sign('RS256', sha256('proof'));
    expect(verify('sha256', Buffer.from('proof'), x509.publicKey, Buffer.from(sig.result))).toBe(true);

    // Creating again from the stored policy makes a new version with a new key pair.
    const policy = await certs('kv-admin').getCertificatePolicy('app-cert');
    expect(policy.subject).toBe('CN=app.contoso.com');
    const next = await (
      await certs('kv-admin').beginCreateCertificate('app-cert', policy, { intervalInMs: 0 })
    ).pollUntilDone();
    expect(next.properties.version).not.toBe(cert.properties.version);
    const nextX509 = new X509Certificate(Buffer.from(next.cer ?? []));
    expect(nextX509.publicKey.export({ format: 'jwk' })).not.toEqual(x509.publicKey.export({ format: 'jwk' }));
  });

  test('a PEM policy stores PEM; EC certificates are made as PEM', async () => {
    const cert = await (
      await certs('kv-admin').beginCreateCertificate(
        'ec-cert',
        {
          issuerName: 'Self',
          subject: 'CN=ec',
          keyType: 'EC',
          keyCurveName: 'P-256',
          contentType: 'application/x-pem-file',
        },
        { intervalInMs: 0 },
      )
    ).pollUntilDone();
    const secret = await secrets('kv-admin').getSecret('ec-cert');
    expect(secret.value).toContain('-----BEGIN PRIVATE KEY-----');
    const x509 = new X509Certificate(secret.value ?? '');
    expect(x509.fingerprint256).toBe(new X509Certificate(Buffer.from(cert.cer ?? [])).fingerprint256);
  });

  test('import of a password-protected PKCS#12 and of PEM; a key that does not match is refused', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgeKey = forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const forgeCert = forge.pki.createCertificate();
    forgeCert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    forgeCert.serialNumber = '01';
    forgeCert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
    forgeCert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
    forgeCert.setSubject([{ name: 'commonName', value: 'imported' }]);
    forgeCert.setIssuer([{ name: 'commonName', value: 'imported' }]);
    forgeCert.sign(forgeKey, forge.md.sha256.create());
    const pfx = forge.asn1
      .toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeCert], 'pw', { algorithm: '3des' }))
      .getBytes();

    const imported = await certs('kv-admin').importCertificate('imported', Buffer.from(pfx, 'binary'), {
      password: 'pw',
    });
    expect(imported.properties.expiresOn?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const key = await keys('kv-admin').getKey('imported');
    expect(publicKeyOf(key).export({ format: 'jwk' })).toEqual(pair.publicKey.export({ format: 'jwk' }));
    const sig = await crypto(key.id ?? '').sign('RS256', sha256('x'));
    expect(verify('sha256', Buffer.from('x'), pair.publicKey, Buffer.from(sig.result))).toBe(true);

    expect(
      await failure(certs('kv-admin').importCertificate('wrong-pw', Buffer.from(pfx, 'binary'), { password: 'no' })),
    ).toMatchObject({ statusCode: 400 });

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const mismatched = `${other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}${forge.pki.certificateToPem(forgeCert)}`;
    expect(
      await failure(
        certs('kv-admin').importCertificate('mismatch', Buffer.from(mismatched), {
          policy: { contentType: 'application/x-pem-file', issuerName: 'Unknown', subject: 'CN=imported' },
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
  });

  test('refusals: another issuer than Self, no subject, and certificates/create missing from the access policy', async () => {
    expect(
      await failure(certs('kv-admin').beginCreateCertificate('ca-cert', { issuerName: 'DigiCert', subject: 'CN=x' })),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await failure(
        certs('kv-admin').beginCreateCertificate('no-subject', { issuerName: 'Self', subject: '' } as never),
      ),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await failure(certs('kv-reader').beginCreateCertificate('denied', { issuerName: 'Self', subject: 'CN=x' })),
    ).toMatchObject({ statusCode: 403 });
    // The access policy grants certificates "create": allowed.
    const made = await (
      await certs('kv-policy').beginCreateCertificate(
        'allowed',
        { issuerName: 'Self', subject: 'CN=x' },
        { intervalInMs: 0 },
      )
    ).pollUntilDone();
    expect(made.name).toBe('allowed');
  });

  test('a seeded certificate: its secret is a real PKCS#12 of its cer, and its managed key signs for that cer', async () => {
    const cert = await certs('kv-admin').getCertificate('seeded-cert');
    const x509 = new X509Certificate(Buffer.from(cert.cer ?? []));
    const pfx = readPfx((await secrets('kv-admin').getSecret('seeded-cert')).value ?? '');
    expect(pfx.cert.fingerprint256).toBe(x509.fingerprint256);
    const key = await keys('kv-admin').getKey('seeded-cert');
    expect(publicKeyOf(key).export({ format: 'jwk' })).toEqual(x509.publicKey.export({ format: 'jwk' }));
    const sig = await crypto(key.id ?? '').sign('RS256', sha256('seed'));
    expect(verify('sha256', Buffer.from('seed'), x509.publicKey, Buffer.from(sig.result))).toBe(true);
  });
});
