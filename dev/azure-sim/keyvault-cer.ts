import selfsigned from 'selfsigned';
import type { ItemVersion } from './tenant-state';

/**
 * Builds real DER certificates for `getCertificate` (`cer`), so consumers that parse the certificate see the
 * document's subject, issuer and validity. Issued lazily and cached: large tenants hold thousands of versions.
 */
export function createCerFactory() {
  const issuers = new Map<string, Promise<{ key: string; cert: string }>>();
  const cers = new Map<string, Promise<string>>();

  function issuerFor(dn: string): Promise<{ key: string; cert: string }> {
    const cached = issuers.get(dn);
    if (cached) return cached;
    const created = selfsigned
      .generate(toAttrs(dn), {
        keyType: 'ec',
        algorithm: 'sha256',
        notBeforeDate: new Date('2020-01-01T00:00:00Z'),
        notAfterDate: new Date('2060-01-01T00:00:00Z'),
        extensions: [{ name: 'basicConstraints', cA: true }],
      })
      .then((p) => ({ key: p.private, cert: p.cert }));
    issuers.set(dn, created);
    return created;
  }

  /** Base64 DER of the certificate for one version (validity nbf/created .. exp). */
  function cerFor(cacheKey: string, v: ItemVersion): Promise<string> {
    const cached = cers.get(cacheKey);
    if (cached) return cached;
    const subject = v.subject ?? 'CN=unknown';
    const notBeforeDate = new Date((v.nbf ?? v.created) * 1000);
    const notAfterDate = new Date((v.exp ?? v.created + 3650 * 86400) * 1000);
    const created = (async () => {
      const ca = v.issuer && v.issuer !== subject ? await issuerFor(v.issuer) : undefined;
      const pems = await selfsigned.generate(toAttrs(subject), {
        keyType: 'ec',
        algorithm: 'sha256',
        notBeforeDate,
        notAfterDate,
        ...(ca ? { ca } : {}),
      });
      return pems.cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    })();
    cers.set(cacheKey, created);
    return created;
  }

  return { cerFor };
}

/** "CN=a, O=b" → selfsigned attributes (CN, O, OU, C, L, ST only). */
function toAttrs(dn: string): { shortName: string; value: string }[] {
  return dn
    .split(',')
    .map((part) => part.trim().split('='))
    .filter((kv): kv is [string, string] => kv.length === 2 && /^(CN|O|OU|C|L|ST)$/.test(kv[0] ?? ''))
    .map(([shortName, value]) => ({ shortName, value }));
}
