import { randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A minimal X.509 v3 certificate writer (DER, signed ECDSA P-256 or RSA with SHA-256) for the simulator's `cer` answers.
 * selfsigned / @peculiar/x509 cost about 5 ms of CPU per certificate (key generation plus a pure-JS ASN.1
 * encoder): a 1,000-vault tenant serves 20,000 certificates, which made the simulator, not the scanner, the
 * benchmark's bottleneck. This writes the few structures a certificate needs and signs with node:crypto, so a
 * certificate costs one ECDSA signature. The result is a real certificate: node's X509Certificate parses it and
 * `verify(issuerPublicKey)` accepts its signature.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]) => tlv(0x30, ...content);
const set = (...content: Buffer[]) => tlv(0x31, ...content);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift((v % 128) | (groups.length > 0 ? 0x80 : 0));
      if (v < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for 1950–2049 and GeneralizedTime otherwise, as RFC 5280 §4.1.2.5 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
};

/** "CN=a, O=b" → a Name (attributes other than CN, O, OU, C, L, ST are dropped). */
function name(dn: string): Buffer {
  const rdns = dn
    .split(',')
    .map((part) => part.trim().split('='))
    .flatMap(([key = '', value]) => {
      const type = ATTRIBUTE_OIDS[key];
      if (!type || value === undefined) return [];
      // Country is a PrintableString; the rest are UTF8String.
      return [set(sequence(oid(type), tlv(key === 'C' ? 0x13 : 0x0c, Buffer.from(value, 'utf8'))))];
    });
  return sequence(...rdns);
}

const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const RSA_SHA256 = sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

export interface CertificateFields {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The certified public key as DER SubjectPublicKeyInfo (`export({ type: 'spki', format: 'der' })`). */
  readonly publicKeyDer: Buffer;
  /** The issuer's private key, EC P-256 or RSA (the subject's own for a self-signed certificate). */
  readonly signingKey: KeyObject;
}

export function writeCertificate(fields: CertificateFields): Buffer {
  const serial = randomBytes(16);
  // DER INTEGERs are minimal and signed: a first byte of 0x40..0x7f is neither negative nor a redundant zero.
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40;
  const algorithm = fields.signingKey.asymmetricKeyType === 'rsa' ? RSA_SHA256 : ECDSA_SHA256;
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // [0] version: v3
    tlv(0x02, serial),
    algorithm,
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name(fields.subject),
    fields.publicKeyDer,
  );
  const signature = sign('sha256', tbs, { key: fields.signingKey, dsaEncoding: 'der' });
  return sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
}
