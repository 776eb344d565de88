import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { verifyAuditExport } from '../../shared/audit/verify/verify-audit-export';

// docs/audit.md section 5.3: the worked example an outsider runs with openssl must stay true.
const dir = join(__dirname, '..', '..', 'docs', 'audit-example');
const read = (name: string): Buffer => readFileSync(join(dir, name));

describe('the worked example of docs/audit.md', () => {
  const manifest = JSON.parse(read('manifest.json').toString('utf8')) as {
    signature: { keyId: string; value: string };
  };
  const publicKey = readAuditPublicKey(read('audit-public-key.pem').toString('utf8'));

  it('verifies with the public key alone, and the page quotes its keyId and signed bytes', () => {
    expect(verifyAuditExport({ csv: read('audit.csv'), manifest, publicKeys: [publicKey] })).toMatchObject({
      ok: true,
      algorithmVersion: 2,
      rowCount: 1,
    });
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'audit.md'), 'utf8');
    expect(page).toContain(`→ ${publicKey.keyId}  (the manifest's keyId)`);
    expect(manifest.signature.keyId).toBe(publicKey.keyId);
    expect(page).toContain('"rowCount":1,"scope":"Keyward audit trail (all actions)","signature":{"algorithm":"RS256"');
  });

  it('fails once rowCount is changed, as the page says', () => {
    const altered = { ...manifest, rowCount: 2 };
    expect(verifyAuditExport({ csv: read('audit.csv'), manifest: altered, publicKeys: [publicKey] })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('altered'),
    });
  });
});
