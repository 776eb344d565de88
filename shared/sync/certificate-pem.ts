import forge from 'node-forge';

/**
 * A Key Vault certificate's secret as the PEM parts the clouds import: the leaf, its chain and the private key.
 * Key Vault holds it as PKCS#12 (`application/x-pkcs12`, base64) or PEM (`application/x-pem-file`). PKCS#12 is
 * read with node-forge, a maintained implementation, rather than by hand; PEM blocks are split by their labels.
 */
export interface CertificatePem {
  readonly certificatePem: string;
  readonly chainPem: string;
  readonly privateKeyPem: string;
}

const blocks = (pem: string, label: RegExp): string[] =>
  [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g)]
    .filter((m) => label.test(m[1] ?? ''))
    .map((m) => m[0]);

export function certificatePemOf(value: string, contentType: string | null): CertificatePem {
  if (contentType === 'application/x-pem-file' || value.trimStart().startsWith('-----BEGIN')) {
    const certs = blocks(value, /^CERTIFICATE$/);
    const key = blocks(value, /PRIVATE KEY$/)[0];
    if (!certs[0] || !key) throw new Error('The certificate secret holds no certificate or no private key');
    return { certificatePem: certs[0], chainPem: certs.slice(1).join('\n'), privateKeyPem: key };
  }
  const asn1 = forge.asn1.fromDer(forge.util.decode64(value));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, '');
  const bags = (oid: string | undefined): forge.pkcs12.Bag[] => (oid ? (p12.getBags({ bagType: oid })[oid] ?? []) : []);
  const keyBags = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag), ...bags(forge.pki.oids.keyBag)];
  const certBags = bags(forge.pki.oids.certBag);
  const key = keyBags.find((b) => b.key)?.key;
  const certs = certBags.flatMap((b): forge.pki.Certificate[] => (b.cert ? [b.cert] : []));
  if (!key || certs.length === 0) throw new Error('The certificate secret holds no certificate or no private key');
  // The leaf is the certificate whose public key matches the private key; the others are its chain.
  const modulus = (key as forge.pki.rsa.PrivateKey).n?.toString(16);
  const leaf = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.toString(16) === modulus) ?? certs[0];
  if (!leaf) throw new Error('The certificate secret holds no certificate');
  return {
    certificatePem: forge.pki.certificateToPem(leaf),
    chainPem: certs
      .filter((c) => c !== leaf)
      .map((c) => forge.pki.certificateToPem(c))
      .join(''),
    privateKeyPem: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
  };
}
