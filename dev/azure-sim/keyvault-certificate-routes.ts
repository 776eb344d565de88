import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { certificateBundle, certificatePolicy, currentVersion } from './keyvault-bundles';
import { defaultKeyOps, generateKey, requestedShape, type KeyPair, type KeyShape } from './keyvault-key-material';
import { certificateSecretValue, PEM, PKCS12, pkcs12Supported, readImport } from './keyvault-pfx';
import {
  attributesFrom,
  badName,
  deletedConflict,
  findItem,
  guarded,
  isTags,
  notFound,
  type KeyVaultKit,
  type WriteAttributes,
} from './keyvault-route-kit';
import { apiError, json, type Route } from './sim-http';
import { hexId, type ItemVersion, type VaultItem, type VaultState } from './tenant-state';
import { writeCertificate } from './x509-der';

interface PolicyWrite {
  key_props?: { exportable?: unknown; kty?: unknown; key_size?: unknown; crv?: unknown; reuse_key?: unknown };
  secret_props?: { contentType?: unknown };
  x509_props?: { subject?: unknown; sans?: unknown; ekus?: unknown; key_usage?: unknown; validity_months?: unknown };
  issuer?: { name?: unknown };
  lifetime_actions?: unknown;
}

interface CertificateWrite {
  policy?: PolicyWrite;
  attributes?: WriteAttributes;
  tags?: unknown;
  value?: unknown;
  pwd?: unknown;
}

const MONTH_SECONDS = (365.25 / 12) * 86_400;

/**
 * Certificate writes of the data plane (api-version 2025-07-01): `create` from a policy (self-issued only: the
 * simulator has no CA integration, so a policy naming another issuer is refused rather than left pending forever),
 * the pending operation the SDK's poller reads, `import` of PKCS#12 or PEM, and the policy. Each new version gets the
 * managed key and secret Key Vault creates beside it, with the same version id: the key signs with the certificate's
 * private key (never returned), the secret holds the PKCS#12 or PEM with it.
 */
export function certificateWriteRoutes(kit: KeyVaultKit): Route[] {
  /** Pending operations by vault and certificate name (Key Vault keeps the last one per certificate). */
  const operations = new WeakMap<VaultState, Map<string, { requestId: string; version: string }>>();

  /** Adds the certificate version with its managed key and secret. */
  function addVersion(
    vault: VaultState,
    name: string,
    pair: KeyPair,
    cer: string,
    policy: Record<string, unknown>,
    body: CertificateWrite,
  ): ItemVersion {
    const x509 = new X509Certificate(Buffer.from(cer, 'base64'));
    const now = kit.nowSec();
    const existing = vault.items.certificates.get(name);
    const version = hexId(`${vault.armId}/certificates/${name}/${existing?.versions.length ?? 0}/${randomUUID()}`);
    const base = {
      version,
      enabled: attributesFrom(body.attributes).enabled,
      nbf: Math.floor(Date.parse(x509.validFrom) / 1000),
      exp: Math.floor(Date.parse(x509.validTo) / 1000),
      created: now,
      updated: now,
    };
    const cert: ItemVersion = {
      ...base,
      tags: isTags(body.tags) ? body.tags : {},
      cer,
      policy,
      subject: x509.subject.split('\n').join(', '),
      issuer: x509.issuer.split('\n').join(', '),
      x5t: createHash('sha1').update(Buffer.from(cer, 'base64')).digest('base64url'),
    };
    const contentType = String((policy.secret_props as { contentType?: string } | undefined)?.contentType ?? PKCS12);
    const push = (kind: 'certificates' | 'keys' | 'secrets', v: ItemVersion): void => {
      const item: VaultItem = vault.items[kind].get(name) ?? { name, versions: [] };
      item.versions.push(v);
      vault.items[kind].set(name, item);
    };
    push('certificates', cert);
    push('keys', {
      ...base,
      tags: {},
      managed: true,
      kty: pair.shape.kty,
      keyShape: pair.shape,
      keyOps: defaultKeyOps(pair.shape.kty),
    });
    push('secrets', {
      ...base,
      tags: {},
      managed: true,
      contentType,
      value: certificateSecretValue(contentType, pair, cer),
    });
    kit.material.set(vault, name, version, pair);
    return cert;
  }

  const create = guarded('certificates', 'create', (vault, p, call) => {
    const name = p[0] ?? '';
    const refused = badName(name) ?? deletedConflict(vault, 'certificates', name);
    if (refused) return refused;
    const body = (call.body ?? {}) as CertificateWrite;
    const existing = findItem(vault, 'certificates', name);
    const latest = existing && currentVersion(existing);
    const policy = body.policy ?? (latest ? (certificatePolicy(vault, existing, latest) as PolicyWrite) : undefined);
    if (!policy) return apiError(400, 'BadParameter', 'Property policy is required for a new certificate.');
    const checked = checkPolicy(policy);
    if (typeof checked === 'string') return apiError(400, 'BadParameter', checked);
    const pair = generateKey(checked.shape);
    const now = kit.nowSec();
    const der = writeCertificate({
      subject: checked.subject,
      issuer: checked.subject,
      notBefore: new Date(now * 1000),
      notAfter: new Date((now + Math.round(checked.validityMonths * MONTH_SECONDS)) * 1000),
      publicKeyDer: pair.publicKey.export({ type: 'spki', format: 'der' }),
      signingKey: pair.privateKey,
    });
    const cert = addVersion(vault, name, pair, der.toString('base64'), storedPolicy(policy, checked, now), body);
    const requestId = randomUUID().replace(/-/g, '');
    const byName = operations.get(vault) ?? new Map();
    byName.set(name, { requestId, version: cert.version });
    operations.set(vault, byName);
    return json(202, operation(vault, name, requestId, 'inProgress'), {
      Location: `${vault.uri}/certificates/${name}/pending?api-version=2025-07-01&request_id=${requestId}`,
      'Retry-After': '10',
    });
  });

  const pending = guarded('certificates', 'get', (vault, p) => {
    const name = p[0] ?? '';
    const op = operations.get(vault)?.get(name);
    if (!op) return apiError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
    // Self-issued certificates complete at once; the SDK's poller reads this before fetching the certificate.
    return json(200, operation(vault, name, op.requestId, 'completed'));
  });

  const importCertificate = guarded('certificates', 'import', (vault, p, call) => {
    const name = p[0] ?? '';
    const refused = badName(name) ?? deletedConflict(vault, 'certificates', name);
    if (refused) return refused;
    const body = (call.body ?? {}) as CertificateWrite;
    if (typeof body.value !== 'string') return apiError(400, 'BadParameter', 'Property value is required.');
    const contentType = String(body.policy?.secret_props?.contentType ?? PKCS12);
    if (contentType !== PKCS12 && contentType !== PEM) {
      return apiError(400, 'BadParameter', `Content type ${contentType} is not supported.`);
    }
    const imported = readImport(body.value, typeof body.pwd === 'string' ? body.pwd : undefined, contentType);
    if (typeof imported === 'string') return apiError(400, 'BadParameter', imported);
    if (contentType === PKCS12 && !pkcs12Supported(imported.pair.shape)) {
      return apiError(400, 'BadParameter', 'The simulator stores PKCS#12 for RSA keys only; import EC keys as PEM.');
    }
    const x509 = new X509Certificate(Buffer.from(imported.cer, 'base64'));
    const shape = imported.pair.shape;
    const policy = {
      key_props: {
        exportable: true,
        kty: shape.kty,
        ...(shape.kty === 'RSA' ? { key_size: shape.keySize } : { crv: shape.crv }),
        reuse_key: false,
      },
      secret_props: { contentType },
      x509_props: { subject: x509.subject.split('\n').join(', '), sans: {}, validity_months: 12 },
      issuer: { name: x509.issuer === x509.subject ? 'Self' : 'Unknown' },
      attributes: { enabled: true, created: kit.nowSec(), updated: kit.nowSec() },
    };
    const cert = addVersion(vault, name, imported.pair, imported.cer, policy, body);
    const item = vault.items.certificates.get(name) as VaultItem;
    return json(200, certificateBundle(vault, item, cert, imported.cer));
  });

  const getPolicy = guarded('certificates', 'get', (vault, p) => {
    const item = findItem(vault, 'certificates', p[0]);
    const v = item && currentVersion(item);
    if (!item || !v) return notFound('certificates', p[0]);
    return json(200, certificatePolicy(vault, item, v));
  });

  return [
    { method: 'POST', path: /^\/certificates\/([^/]+)\/create\/?$/i, write: true, handle: create },
    { method: 'POST', path: /^\/certificates\/([^/]+)\/import\/?$/i, write: true, handle: importCertificate },
    { method: 'GET', path: /^\/certificates\/([^/]+)\/pending\/?$/i, handle: pending },
    { method: 'GET', path: /^\/certificates\/([^/]+)\/policy\/?$/i, handle: getPolicy },
  ];
}

function operation(vault: VaultState, name: string, requestId: string, status: 'inProgress' | 'completed') {
  return {
    id: `${vault.uri}/certificates/${name}/pending`,
    issuer: { name: 'Self' },
    cancellation_requested: false,
    status,
    // status_details is a string (CertificateOperation, certificates.json 7.5): a completed operation leaves it out.
    ...(status === 'inProgress'
      ? {
          status_details:
            'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.',
        }
      : {}),
    ...(status === 'completed' ? { target: `${vault.uri}/certificates/${name}` } : {}),
    request_id: requestId,
  };
}

interface CheckedPolicy {
  readonly shape: KeyShape;
  readonly subject: string;
  readonly validityMonths: number;
}

/** What Key Vault checks in a creation policy, for the self-issued certificates the simulator can make. */
function checkPolicy(policy: PolicyWrite): CheckedPolicy | string {
  const issuer = policy.issuer?.name ?? 'Unknown';
  if (issuer !== 'Self') {
    return `Issuer ${String(issuer)}: the simulator issues self-signed certificates only (issuer name "Self").`;
  }
  const subject = policy.x509_props?.subject;
  if (typeof subject !== 'string' || !/^\s*[A-Za-z]+=/.test(subject)) {
    return 'Property x509_props.subject is required, as a distinguished name such as "CN=app.contoso.com".';
  }
  const months = policy.x509_props?.validity_months ?? 12;
  if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 1200) {
    return 'Property x509_props.validity_months must be a whole number of months between 1 and 1200.';
  }
  const shape = requestedShape(policy.key_props?.kty ?? 'RSA', policy.key_props?.key_size, policy.key_props?.crv);
  if (typeof shape === 'string') return shape;
  if ((policy.secret_props?.contentType ?? PKCS12) === PKCS12 && !pkcs12Supported(shape)) {
    return 'The simulator stores PKCS#12 for RSA keys only; use secret_props.contentType application/x-pem-file for EC.';
  }
  return { shape, subject, validityMonths: months };
}

function storedPolicy(policy: PolicyWrite, checked: CheckedPolicy, now: number): Record<string, unknown> {
  const { shape } = checked;
  return {
    key_props: {
      exportable: policy.key_props?.exportable ?? true,
      kty: shape.kty,
      ...(shape.kty === 'RSA' ? { key_size: shape.keySize } : { crv: shape.crv }),
      reuse_key: policy.key_props?.reuse_key ?? false,
    },
    secret_props: { contentType: policy.secret_props?.contentType ?? PKCS12 },
    x509_props: {
      subject: checked.subject,
      sans: policy.x509_props?.sans ?? {},
      ...(policy.x509_props?.ekus ? { ekus: policy.x509_props.ekus } : {}),
      key_usage: policy.x509_props?.key_usage ?? ['digitalSignature', 'keyEncipherment'],
      validity_months: checked.validityMonths,
    },
    lifetime_actions: policy.lifetime_actions ?? [
      { trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } },
    ],
    issuer: { name: 'Self' },
    attributes: { enabled: true, created: now, updated: now },
  };
}

/** The sim's answer for a certificate-backing secret of a seeded certificate: real PKCS#12 of its key and `cer`. */
export function seededCertificateSecret(kit: KeyVaultKit, vault: VaultState, secret: VaultItem, v: ItemVersion): void {
  if (!v.managed || v.value === undefined || !v.value.startsWith('sim-pfx-')) return;
  const cert = vault.items.certificates.get(secret.name)?.versions.find((c) => c.version === v.version);
  if (!cert) return;
  const cer = cert.cer ?? kit.cer.cerFor(`${vault.armId}/${secret.name}/${cert.version}`, cert);
  const pair = kit.material.forVersion(vault, secret.name, { ...v, kty: 'RSA' });
  v.value = certificateSecretValue(v.contentType ?? PKCS12, pair, cer);
}
