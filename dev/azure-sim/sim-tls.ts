import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface SimTls {
  readonly caCertPem: string;
  readonly caCertPath: string;
  /** CA + the machine's existing NODE_EXTRA_CA_CERTS file, for child processes (the variable replaces, not adds). */
  readonly caBundlePath: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

/**
 * Generates a throwaway CA and a loopback server certificate it signs (SANs 127.0.0.1, ::1, localhost), and
 * writes the CA and a combined bundle into `dir`. Clients trust the CA; TLS verification stays on.
 */
export async function createSimTls(dir: string, now: Date): Promise<SimTls> {
  const notBeforeDate = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfterDate = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Keyward Azure simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const caCertPath = join(dir, 'azure-sim-ca.pem');
  const caBundlePath = join(dir, 'azure-sim-ca-bundle.pem');
  writeFileSync(caCertPath, ca.cert);
  writeFileSync(caBundlePath, `${readExistingExtraCerts()}\n${ca.cert}`);
  return { caCertPem: ca.cert, caCertPath, caBundlePath, serverCertPem: server.cert, serverKeyPem: server.private };
}

function readExistingExtraCerts(): string {
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (!existing) return '';
  try {
    return readFileSync(existing, 'utf8');
  } catch {
    return '';
  }
}
