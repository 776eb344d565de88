import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { EcCurve, KeyPair, KeyShape } from './keyvault-key-material';

export const PKCS12 = 'application/x-pkcs12';
export const PEM = 'application/x-pem-file';

/**
 * The value of the secret that backs a certificate, as Key Vault serves it: base64 PKCS#12 (no password) or PEM
 * (private key in PKCS#8, then the certificate). PKCS#12 (empty password) comes from node-forge, whose PKCS#12 writer handles RSA keys
 * only; an EC certificate with a PKCS#12 policy is refused when it is created (see `pkcs12Supported`).
 */
export function certificateSecretValue(contentType: string, pair: KeyPair, cerBase64: string): string {
  const certPem = new X509Certificate(Buffer.from(cerBase64, 'base64')).toString();
  const keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  if (contentType === PEM) return `${keyPem}${certPem}`;
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    [forge.pki.certificateFromPem(certPem)],
    // An empty password, as Key Vault's downloadable PKCS#12 has: readers open it without one.
    '',
    { algorithm: '3des' },
  );
  return forge.util.encode64(forge.asn1.toDer(p12).getBytes());
}

export const pkcs12Supported = (shape: KeyShape): boolean => shape.kty === 'RSA';

export interface ImportedCertificate {
  readonly pair: KeyPair;
  /** The leaf certificate, base64 DER. */
  readonly cer: string;
}

/** Reads an imported certificate (base64 PKCS#12 with an optional password, or PEM); a message when it cannot. */
export function readImport(
  value: string,
  password: string | undefined,
  contentType: string,
): ImportedCertificate | string {
  try {
    let keyPem: string | undefined;
    let certDer: string | undefined;
    if (contentType === PEM || value.includes('-----BEGIN')) {
      for (const block of forge.pem.decode(value)) {
        if (/PRIVATE KEY$/.test(block.type) && !keyPem) keyPem = forge.pem.encode(block);
        if (block.type === 'CERTIFICATE' && !certDer) certDer = Buffer.from(block.body, 'binary').toString('base64');
      }
    } else {
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(value)), password ?? '');
      const bag = (type: string | undefined) =>
        type ? (p12.getBags({ bagType: type })[type]?.[0] ?? undefined) : undefined;
      const keyBag = bag(forge.pki.oids.pkcs8ShroudedKeyBag) ?? bag(forge.pki.oids.keyBag);
      const certBag = bag(forge.pki.oids.certBag);
      if (keyBag?.key) keyPem = forge.pki.privateKeyToPem(keyBag.key);
      if (certBag?.cert) {
        certDer = Buffer.from(
          forge.asn1.toDer(forge.pki.certificateToAsn1(certBag.cert)).getBytes(),
          'binary',
        ).toString('base64');
      }
    }
    if (!keyPem || !certDer) return 'The certificate must contain a private key and a certificate.';
    const privateKey = createPrivateKey(keyPem);
    const cert = new X509Certificate(Buffer.from(certDer, 'base64'));
    if (!cert.checkPrivateKey(privateKey)) return 'The private key does not match the certificate.';
    const publicKey = createPublicKey(privateKey);
    const details = publicKey.asymmetricKeyDetails ?? {};
    const shape: KeyShape =
      publicKey.asymmetricKeyType === 'rsa'
        ? { kty: 'RSA', keySize: details.modulusLength ?? 2048 }
        : { kty: 'EC', crv: curveOf(details.namedCurve) };
    return { pair: { privateKey, publicKey, shape }, cer: certDer };
  } catch {
    return 'The specified PEM X.509 certificate content is in an unexpected format, or the PKCS#12 password is wrong.';
  }
}

function curveOf(named: string | undefined): EcCurve {
  return ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'P-256K' } as const)[
    (named ?? 'prime256v1') as 'prime256v1'
  ];
}
