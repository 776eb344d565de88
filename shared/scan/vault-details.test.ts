import { certificateFacts, jwkSize } from './vault-details';
import { denyReason } from './vault-lister';

describe('vault details', () => {
  it('reads key sizes from public JWKs', () => {
    expect(jwkSize({ kty: 'RSA', n: new Uint8Array(256).fill(0xc3) })).toBe(2048);
    expect(jwkSize({ kty: 'RSA', n: new Uint8Array([0, ...new Uint8Array(512).fill(0xc3)]) })).toBe(4096);
    expect(jwkSize({ kty: 'EC', crv: 'P-384' })).toBe(384);
    expect(jwkSize(undefined)).toBeNull();
  });

  it('gives no certificate facts for a cer that does not parse, instead of throwing', () => {
    expect(certificateFacts(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeNull();
    expect(certificateFacts(new Uint8Array())).toBeNull();
  });

  it('tells a firewall 403 from a permission 403, and ignores other errors', () => {
    expect(
      denyReason({ statusCode: 403, message: 'Client address is not authorized and caller is not a trusted service.' }),
    ).toBe('firewalled');
    expect(denyReason({ statusCode: 403, details: { error: { innererror: { code: 'ForbiddenByFirewall' } } } })).toBe(
      'firewalled',
    );
    expect(denyReason({ statusCode: 403, message: 'Caller is not authorized to perform action on resource.' })).toBe(
      'forbidden',
    );
    expect(denyReason({ statusCode: 500 })).toBeNull();
  });
});
