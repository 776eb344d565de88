import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { fixedClock } from '../../shared/time/clock';
import { startAuditFixture, uniqueName, type AuditFixture } from './audit-fixture';

// Issue 19 item 7: the manifest's signature and keyId are checked against values computed here from docs/audit.md
// (section 5) with node:crypto alone — its own JSON canonicalisation (ASCII manifests: sorted keys, no spaces),
// its own RFC 7638 thumbprint — never with the app's canonicalJson, signedBytes, jwkThumbprint or verifier.
jest.setTimeout(120_000);

let fixture: AuditFixture;
beforeAll(async () => {
  fixture = await startAuditFixture();
});
afterAll(async () => {
  await fixture.stop();
});

/** Canonical JSON as docs/audit.md specifies it, for the values a manifest holds (strings, integers, null, objects). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** Reads the public key the way an auditor would from the Key Vault JWK, via the PEM the API also publishes. */
function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  // RFC 7638 section 3.2: for RSA exactly {"e","kty","n"} in that order, no whitespace.
  return createHash('sha256').update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`).digest('base64url');
}

describe('a manifest checked against docs/audit.md with node:crypto alone', () => {
  it('has keyId = RFC 7638 thumbprint of the published key and an RS256 signature over the canonical bytes', async () => {
    const service = fixture.service({
      table: uniqueName('oracle'),
      container: uniqueName('oracle'),
      clock: fixedClock(new Date('2026-11-22T10:00:00.000Z')),
    });
    await service.append({ actor: { type: 'system' }, action: 'discovery.scan.started', outcome: 'success' });
    const { manifest } = await service.exportTrail({ format: 'csv', actor: { type: 'user', id: 'u-1', name: 'Ada' } });
    const published = await service.publicKey();
    const key = createPublicKey(published.pem);

    expect(manifest.algorithmVersion).toBe(2);
    expect(manifest.signature.algorithm).toBe('RS256');
    expect(manifest.signature.keyId).toBe(thumbprint(key));
    expect(published.keyId).toBe(thumbprint(key));
    // The Key Vault key id names the vault, the key and its version (32 hex digits).
    expect((manifest.signature as { keyVaultKeyId: string }).keyVaultKeyId).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/keys\/audit-signing\/[0-9a-f]{32}$/,
    );

    // The version the manifest names is published too, and is the same key.
    const version = /\/([0-9a-f]{32})$/.exec((manifest.signature as { keyVaultKeyId: string }).keyVaultKeyId)?.[1];
    const byVersion = await service.publicKey(version);
    expect(byVersion.keyId).toBe(thumbprint(key));
    expect(byVersion.keyVaultKeyId).toBe((manifest.signature as { keyVaultKeyId: string }).keyVaultKeyId);

    const { value, ...header } = manifest.signature;
    const signed = Buffer.from(canonical({ ...manifest, signature: header }), 'utf8');
    expect(/^[\x20-\x7e]*$/.test(signed.toString('utf8'))).toBe(true); // the oracle's ASCII assumption holds
    const signature = Buffer.from(value, 'base64');
    expect(verify('sha256', signed, key, signature)).toBe(true);
    // RS256 is deterministic PKCS#1 v1.5: the same bytes changed by one character no longer verify.
    const changed = Buffer.from(signed.toString('utf8').replace('"rowCount":', '"rowCount":1'), 'utf8');
    expect(verify('sha256', changed, key, signature)).toBe(false);
  });
});
