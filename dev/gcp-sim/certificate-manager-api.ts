import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as gcp from './gcp-protocol';

/**
 * Certificate Manager v1 over REST: self-managed certificates (create, get, patch, delete), each change a
 * long-running operation that the client polls at `projects/{p}/locations/{l}/operations/{op}` until `done`, whose
 * `response` is an Any with its `@type` (research/cloud-apis.md §2, "Certificate Manager"). Certificate ids are
 * 1–63 lowercase letters, digits and `-`, starting with a letter; the private key must match the certificate.
 */
export interface SimGcpCertificate {
  readonly name: string;
  labels: Record<string, string>;
  pemCertificate: string;
  readonly createTime: Date;
  updateTime: Date;
  expireTime: Date;
  sanDnsnames: string[];
  description: string;
}

interface Operation {
  readonly name: string;
  polls: number;
  readonly result: gcp.Json;
}

const CERT_TYPE = 'type.googleapis.com/google.cloud.certificatemanager.v1.Certificate';
const EMPTY_TYPE = 'type.googleapis.com/google.protobuf.Empty';

function parseSelfManaged(raw: unknown): { pem: string; cert: X509Certificate } {
  const selfManaged = (raw ?? {}) as gcp.Json;
  const pem = selfManaged.pemCertificate;
  const key = selfManaged.pemPrivateKey;
  if (typeof pem !== 'string' || typeof key !== 'string') {
    throw gcp.invalid('self_managed.pem_certificate and self_managed.pem_private_key are required.');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw gcp.invalid('Failed to parse the PEM certificate.');
  }
  let matches = false;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(key));
  } catch {
    matches = false;
  }
  if (!matches) throw gcp.invalid('The private key does not match the certificate.');
  return { pem, cert };
}

const sans = (cert: X509Certificate): string[] =>
  (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));

export function createCertificateManagerApi(projectNumber: (project: string) => string, now: () => Date) {
  const certificates = new Map<string, SimGcpCertificate>();
  const operations = new Map<string, Operation>();
  let opSeq = 0;
  /** Polls an operation answers `done: false` before it completes. */
  let pollsUntilDone = 1;

  const view = (c: SimGcpCertificate): gcp.Json => ({
    name: c.name,
    description: c.description,
    createTime: gcp.rfc3339(c.createTime),
    updateTime: gcp.rfc3339(c.updateTime),
    labels: c.labels,
    pemCertificate: c.pemCertificate,
    sanDnsnames: c.sanDnsnames,
    expireTime: gcp.rfc3339(c.expireTime),
    scope: 'DEFAULT',
  });
  function operation(location: string, result: gcp.Json): gcp.Json {
    const name = `${location}/operations/operation-${++opSeq}`;
    operations.set(name, { name, polls: 0, result });
    return { name, done: false };
  }

  function handle(call: gcp.GcpCall): gcp.GcpResult | null {
    const parts = call.path.split('/');
    if (parts[0] !== 'projects' || parts[2] !== 'locations' || !parts[1] || !parts[3]) return null;
    const location = `projects/${projectNumber(parts[1])}/locations/${parts[3]}`;
    const collection = parts[4];
    const id = parts[5];
    if (collection === 'operations' && id && call.method === 'GET' && parts.length === 6) {
      const op = operations.get(`${location}/operations/${id}`);
      if (!op) throw gcp.notFound(`Operation [${location}/operations/${id}] not found.`);
      op.polls += 1;
      const body =
        op.polls > pollsUntilDone ? { name: op.name, done: true, response: op.result } : { name: op.name, done: false };
      return { status: 200, body, write: false, target: call.path };
    }
    if (collection !== 'certificates') return null;
    if (parts.length === 5 && call.method === 'POST') {
      const certificateId = call.query.get('certificateId') ?? '';
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(certificateId))
        throw gcp.invalid('certificate_id must match [a-z][a-z0-9-]{0,62}.');
      const name = `${location}/certificates/${certificateId}`;
      if (certificates.has(name)) throw gcp.alreadyExists(`Resource '${name}' already exists`);
      const labels = gcp.readLabels(call.body.labels);
      const { pem, cert } = parseSelfManaged(call.body.selfManaged);
      const created = now();
      const c: SimGcpCertificate = {
        name,
        labels,
        pemCertificate: pem,
        createTime: created,
        updateTime: created,
        expireTime: new Date(cert.validTo),
        sanDnsnames: sans(cert),
        description: typeof call.body.description === 'string' ? call.body.description : '',
      };
      certificates.set(name, c);
      return { status: 200, body: operation(location, { '@type': CERT_TYPE, ...view(c) }), write: true, target: name };
    }
    if (parts.length === 5 && call.method === 'GET') {
      const mine = [...certificates.values()].filter((c) => c.name.startsWith(`${location}/`));
      return { status: 200, body: { certificates: mine.map(view) }, write: false, target: call.path };
    }
    const name = `${location}/certificates/${id ?? ''}`;
    if (!id || parts.length !== 6) return null;
    const c = certificates.get(name);
    if (!c) throw gcp.notFound(`Resource '${name}' was not found`);
    if (call.method === 'GET') return { status: 200, body: view(c), write: false, target: name };
    if (call.method === 'PATCH') {
      const mask = gcp.updateMask(call.query);
      for (const field of mask) {
        if (field === 'labels') c.labels = gcp.readLabels(call.body.labels);
        else if (field === 'self_managed' || field === 'selfManaged') {
          const { pem, cert } = parseSelfManaged(call.body.selfManaged);
          c.pemCertificate = pem;
          c.expireTime = new Date(cert.validTo);
          c.sanDnsnames = sans(cert);
        } else if (field === 'description') c.description = String(call.body.description ?? '');
        else throw gcp.invalid(`The update_mask field ${field} cannot be updated.`);
      }
      c.updateTime = now();
      return { status: 200, body: operation(location, { '@type': CERT_TYPE, ...view(c) }), write: true, target: name };
    }
    if (call.method === 'DELETE') {
      certificates.delete(name);
      return { status: 200, body: operation(location, { '@type': EMPTY_TYPE }), write: true, target: name };
    }
    return null;
  }

  return {
    handle,
    certificates,
    setPollsUntilDone: (n: number) => void (pollsUntilDone = n),
  };
}
