import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createKeyMaterial, defaultShape, type KeyMaterial } from './keyvault-key-material';
import type { ItemVersion } from './tenant-state';
import { writeCertificate } from './x509-der';

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };
const ecKeyPair = (): KeyPair => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/**
 * Builds real DER certificates for `getCertificate` (`cer`), so consumers that parse the certificate see the
 * document's subject, issuer and validity. Issued lazily and cached: large tenants hold thousands of versions.
 * Every issuer DN has its own key; the certified key is the seeded pair of the version's shape (RSA 2048 unless the
 * document names another) from the
 * key material store, the same pair the certificate's backing key signs with, so a signature made through Key
 * Vault `sign` verifies against the certificate (generating a key per certificate was most of the simulator's CPU).
 */
export function createCerFactory(material: KeyMaterial = createKeyMaterial()) {
  const leafKey = material.seeded(defaultShape('RSA'));
  const leafSpki = leafKey.publicKey.export({ type: 'spki', format: 'der' });
  const issuerKeys = new Map<string, KeyPair>();
  const cers = new Map<string, string>();

  function issuerKey(dn: string): KeyPair {
    let key = issuerKeys.get(dn);
    if (!key) {
      key = ecKeyPair();
      issuerKeys.set(dn, key);
    }
    return key;
  }

  /** Base64 DER of the certificate for one version (validity nbf/created .. exp). */
  function cerFor(cacheKey: string, v: ItemVersion): string {
    const cached = cers.get(cacheKey);
    if (cached) return cached;
    const subject = v.subject ?? 'CN=unknown';
    const leaf = v.keyShape ? material.seeded(v.keyShape) : leafKey;
    const issuer = v.issuer ?? subject;
    const der = writeCertificate({
      subject,
      issuer,
      notBefore: new Date((v.nbf ?? v.created) * 1000),
      notAfter: new Date((v.exp ?? v.created + 3650 * 86400) * 1000),
      publicKeyDer: leaf === leafKey ? leafSpki : leaf.publicKey.export({ type: 'spki', format: 'der' }),
      signingKey: issuer === subject ? leaf.privateKey : issuerKey(issuer).privateKey,
    });
    const cer = der.toString('base64');
    cers.set(cacheKey, cer);
    return cer;
  }

  return { cerFor, issuerPublicKey: (dn: string) => issuerKey(dn).publicKey, leafPublicKey: leafKey.publicKey };
}
