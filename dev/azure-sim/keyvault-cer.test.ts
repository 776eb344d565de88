import { X509Certificate } from 'node:crypto';
import { createCerFactory } from './keyvault-cer';
import type { ItemVersion } from './tenant-state';

const version = (fields: Partial<ItemVersion>): ItemVersion =>
  ({ version: 'v1', created: Date.parse('2026-01-01T00:00:00Z') / 1000, ...fields }) as ItemVersion;

describe('simulator certificates', () => {
  it('are real X.509: names, validity and a signature the issuer key verifies', () => {
    const factory = createCerFactory();
    const cer = factory.cerFor(
      'a',
      version({
        subject: 'CN=pay.contoso.com, O=Contoso, C=US',
        issuer: 'CN=Contoso Issuing CA 01',
        nbf: Date.parse('2026-02-01T00:00:00Z') / 1000,
        exp: Date.parse('2051-03-01T12:30:00Z') / 1000,
      }),
    );
    const x509 = new X509Certificate(Buffer.from(cer, 'base64'));
    expect(x509.subject.split('\n')).toEqual(['CN=pay.contoso.com', 'O=Contoso', 'C=US']);
    expect(x509.issuer).toBe('CN=Contoso Issuing CA 01');
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    // After 2049 the writer switches to GeneralizedTime.
    expect(new Date(x509.validTo).toISOString()).toBe('2051-03-01T12:30:00.000Z');
    expect(x509.verify(factory.issuerPublicKey('CN=Contoso Issuing CA 01'))).toBe(true);
    expect(x509.verify(factory.leafPublicKey)).toBe(false);
  });

  it('signs a certificate without an issuer with its own key, and caches per version', () => {
    const factory = createCerFactory();
    const v = version({ subject: 'CN=self' });
    const first = factory.cerFor('k', v);
    expect(factory.cerFor('k', v)).toBe(first);
    expect(factory.cerFor('other', v)).not.toBe(first);
    const x509 = new X509Certificate(Buffer.from(first, 'base64'));
    expect(x509.issuer).toBe('CN=self');
    expect(x509.verify(factory.leafPublicKey)).toBe(true);
  });

  it('writes DER that parses for any random serial (DER integers must be minimal)', () => {
    const factory = createCerFactory();
    const v = version({ subject: 'CN=many', issuer: 'CN=Issuer' });
    // A non-minimal serial (0x00 then a byte < 0x80) is rejected by OpenSSL; with 1 in 128 odds per certificate,
    // 2,000 certificates would all but surely hit it.
    for (let i = 0; i < 2000; i += 1) {
      expect(() => new X509Certificate(Buffer.from(factory.cerFor(`k${i}`, v), 'base64'))).not.toThrow();
    }
  });
});
