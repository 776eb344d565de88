import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { AUDIT_EXPORTS_CONTAINER } from '../../shared/audit/audit-export';
import { builtInRules } from '../../shared/compliance/builtin-rules';
import { readAuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { verifyEvidencePackage } from '../../shared/compliance/verify/evidence-manifest';
import { fixedClock } from '../../shared/time/clock';
import { APP_DIR } from '../support/keyward-stack';
import { startComplianceStack, type ComplianceStack } from './compliance-stack';
import { complianceTenant } from './compliance-tenant';

interface RuleView {
  id: string;
  kind: string;
  lastRun: { passed: number; failed: number; waived: number; notEvaluated: number } | null;
}

/** Item rules: the unreadable vault (no role) makes them "not evaluated" there. */
const ITEM_RULES = ['KW-KV-001', 'KW-KV-003', 'KW-KV-006', 'KW-KV-007', 'KW-KV-019'];

describe('compliance over the fixture tenant (scan → evaluation → API)', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  let s: ComplianceStack;
  beforeAll(async () => {
    s = await startComplianceStack({ tenant: complianceTenant, clock: fixedClock(t0) });
    await s.scanAndEvaluate();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('every built-in rule both passes and fails somewhere; item rules are not evaluated on the unreadable vault', async () => {
    const { rules } = await s.get<{ rules: RuleView[] }>('/api/compliance/rules');
    const byId = new Map(rules.map((r) => [r.id, r.lastRun]));
    // Key Vault gives every certificate an expiry (the simulator too), so KW-KV-005 can only pass there: it stays as
    // evidence for the control, and its failing path is covered by the rule's unit test.
    const cannotFailOnKeyVault = new Set(['KW-KV-005']);
    const missing = builtInRules
      .map((r) => ({ id: r.id, run: byId.get(r.id) }))
      .filter(({ id, run }) => !run || run.passed === 0 || (run.failed === 0 && !cannotFailOnKeyVault.has(id)));
    expect(missing).toEqual([]);
    for (const id of ITEM_RULES)
      expect({ id, notEvaluated: (byId.get(id)?.notEvaluated ?? 0) > 0 }).toEqual({ id, notEvaluated: true });
    // A key whose rotation policy the identity may not read is unknown, not compliant.
    expect(byId.get('KW-KV-015')?.notEvaluated).toBeGreaterThan(0);

    const violations = await s.get<{ violations: { ruleId: string; resource: { name: string; vaultName: string } }[] }>(
      '/api/compliance/violations?rule=KW-KV-006&pageSize=200',
    );
    expect(violations.violations.map((v) => v.resource.name).sort()).toEqual(['k-expired']);
    // Key strength covers certificates' keys (read from the public certificate) as well as keys.
    const weak = await s.get<{ violations: { resource: { name: string; scope: string } }[] }>(
      '/api/compliance/violations?rule=KW-KV-016&pageSize=200',
    );
    expect(weak.violations.map((v) => `${v.resource.scope}:${v.resource.name}`).sort()).toEqual([
      'certificate:c-weak-key',
      'key:k-weak',
    ]);
    // One purpose per key: an RSA key with Key Vault's default key_ops signs and encrypts; EC keys and keys narrowed
    // to sign/verify pass. The access-policy vault's keys (default RSA ops) fail too.
    const purpose = await s.get<{ violations: { resource: { name: string } }[] }>(
      '/api/compliance/violations?rule=KW-KV-020&pageSize=200',
    );
    expect(purpose.violations.map((v) => v.resource.name).sort()).toEqual([
      'ap-k-good',
      'ap-k-noexp',
      'k-expired',
      'k-noexp',
      'k-weak',
    ]);
    // Nothing inside the locked vault was judged: its expired secret is unknown, not a violation; only the vault's
    // own ARM configuration (readable without a data-plane role) can fail.
    const all = await s.get<{ violations: { resource: { vaultName: string; scope: string } }[] }>(
      '/api/compliance/violations?vault=kv-cmp-locked&pageSize=200',
    );
    expect(new Set(all.violations.map((v) => v.resource.scope))).toEqual(new Set(['vault']));
  });

  it('serves per-framework control status with the rules and their results', async () => {
    const cis = await s.get<{
      controlDetails: { id: string; status: string; rules: { id: string; result: unknown }[] }[];
    }>('/api/compliance/frameworks/cis-azure-6.0');
    const control = (id: string) => cis.controlDetails.find((c) => c.id === id);
    expect(control('8.3.1')).toMatchObject({ status: 'failed', rules: [{ id: 'KW-KV-003' }] });
    expect(control('8.3.10')?.status).toBe('customer');
    const list = await s.get<{ frameworks: { id: string }[]; disclaimer: string }>('/api/compliance/frameworks');
    expect(list.frameworks).toHaveLength(12);
    expect(list.disclaimer).toMatch(/not certification/);
  });

  it('refuses bad rules with 400 and the position, and fuzzed test requests never crash (400 or a bounded 200)', async () => {
    const bad = await s.send('POST', '/api/compliance/rules', {
      scope: 'secret',
      condition: 'secret.nmae == 1',
      severity: 'low',
      title: 'typo',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/line 1, column 8/);
    const before = await s.get<{ rules: RuleView[] }>('/api/compliance/rules');
    expect(before.rules.filter((r) => r.kind === 'custom')).toEqual([]);

    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = [
      'secret.name',
      'secret.daysToExpiry',
      '1',
      '"a"',
      ' && ',
      ' || ',
      ' + ',
      ' / ',
      '(',
      ')',
      '[',
      ']',
      '.',
      ' == ',
      '!',
      'size(',
      'true',
      '[1,2].map(x, x)',
      '{',
      '}',
      ':',
      '\\',
      '"',
      '\u0000',
      'process',
      '__proto__',
    ];
    const sources = [
      '('.repeat(3000),
      'secret.name.matches("(a+)+$")',
      'x'.repeat(5000),
      '[1,2].all(a,[1,2].all(b,[1,2].all(c,true)))',
    ];
    for (let i = 0; i < 120; i++)
      sources.push(Array.from({ length: 1 + rand(10) }, () => pieces[rand(pieces.length)]).join(''));
    const statuses = new Set<number>();
    for (const condition of sources) {
      const r = await s.send('POST', '/api/compliance/rules/test', { scope: 'secret', condition });
      statuses.add(r.status);
      expect([200, 400]).toContain(r.status);
    }
    expect(statuses).toEqual(new Set([200, 400]));

    const ok = await s.send('POST', '/api/compliance/rules/test', { scope: 'secret', condition: 'secret.hasExpiry' });
    expect(ok.body).toMatchObject({ counts: { failed: 2 }, budgetExceeded: false });
    // The key's allowed operations and the certificate's key are typed CEL variables.
    const ops = await s.send('POST', '/api/compliance/rules/test', {
      scope: 'key',
      condition: 'key.keyOpsKnown && key.keyOps.all(op, op in ["sign", "verify"])',
    });
    expect(ops.body).toMatchObject({ counts: { passed: 2, failed: 5 } });
    const certKey = await s.send('POST', '/api/compliance/rules/test', {
      scope: 'certificate',
      condition: 'certificate.keyType == "EC" || certificate.keySize >= 2048',
    });
    expect(certKey.body).toMatchObject({ counts: { passed: 3, failed: 1 } });
  });

  it('the evidence package verifies with the bundled verifier, and a changed byte in any attachment is detected', async () => {
    const r = await s.send('GET', '/api/compliance/evidence-package?format=pdf');
    expect(r.status).toBe(200);
    const pkg = r.body as {
      manifest: unknown;
      files: { name: string; encoding: 'utf8' | 'base64'; content: string }[];
      blobs: { container: string; manifest: string; files: string[] };
    };
    const files = new Map(pkg.files.map((f) => [f.name, Buffer.from(f.content, f.encoding)]));
    expect([...files.keys()].sort()).toEqual(['evidence.json', 'evidence.pdf', 'rules.json', 'violations.csv']);
    // The auditor's key: the audit public key as the API publishes it; a key of their own is the forger's.
    const published = await s.send('GET', '/api/audit/public-key');
    expect(published.status).toBe(200);
    const publicKeyText = JSON.stringify(published.body);
    const keys = { publicKeys: [readAuditPublicKey(publicKeyText)] };
    expect(verifyEvidencePackage(pkg.manifest, files, keys)).toEqual({ ok: true });

    // Stored like an audit export: every file and the manifest in audit-exports, fetched again byte for byte and
    // verified as stored; the audit entry names the folder.
    expect(pkg.blobs.container).toBe(AUDIT_EXPORTS_CONTAINER);
    const container = BlobServiceClient.fromConnectionString(s.stack.azurite.connectionString).getContainerClient(
      AUDIT_EXPORTS_CONTAINER,
    );
    const folder = pkg.blobs.manifest.replace(/\/manifest\.json$/, '');
    expect(folder).toMatch(/^compliance\/[0-9T-]+Z-[0-9a-f]{8}$/);
    expect(pkg.blobs.files.sort()).toEqual([...files.keys()].sort().map((name) => `${folder}/${name}`));
    const stored = new Map<string, Buffer>();
    for (const blob of pkg.blobs.files)
      stored.set(blob.slice(folder.length + 1), await container.getBlockBlobClient(blob).downloadToBuffer());
    expect(stored).toEqual(files);
    const storedManifest = JSON.parse(
      (await container.getBlockBlobClient(pkg.blobs.manifest).downloadToBuffer()).toString('utf8'),
    ) as unknown;
    expect(storedManifest).toEqual(pkg.manifest);
    expect(verifyEvidencePackage(storedManifest, stored, keys)).toEqual({ ok: true });
    const exported = await s.get<{ entries: { target: string }[] }>('/api/audit?action=compliance.evidence.exported');
    expect(exported.entries.map((e) => e.target)).toEqual([`${AUDIT_EXPORTS_CONTAINER}/${folder}`]);

    for (const name of files.keys()) {
      const tampered = new Map(files);
      const bytes = Buffer.from(files.get(name) ?? []);
      const at = Math.floor(bytes.length / 2);
      bytes.writeUInt8((bytes[at] ?? 0) ^ 0x01, at);
      tampered.set(name, bytes);
      expect(verifyEvidencePackage(pkg.manifest, tampered, keys)).toMatchObject({ ok: false });
    }
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(
      verifyEvidencePackage(pkg.manifest, files, { publicKeys: [readAuditPublicKey(String(other))] }),
    ).toMatchObject({ ok: false });

    // The bundled command-line verifier (compiled, Node built-ins only) on the package as downloaded.
    const dir = mkdtempSync(join(tmpdir(), 'kw-evidence-'));
    const saved = join(dir, 'package.json');
    writeFileSync(saved, JSON.stringify(pkg));
    const cli = join(APP_DIR, 'dist', 'shared', 'compliance', 'verify', 'keyward-verify-evidence.js');
    const keyFile = join(dir, 'audit-public-key.json');
    writeFileSync(keyFile, publicKeyText);
    const run = (file: string) => spawnSync(process.execPath, [cli, file, '--public-key', keyFile]);
    expect(run(saved).status).toBe(0);
    const csv = pkg.files.find((f) => f.name === 'violations.csv');
    if (csv) csv.content = csv.content.replace('KW-', 'KX-');
    writeFileSync(saved, JSON.stringify(pkg));
    const tampered = run(saved);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr.toString()).toMatch(/violations\.csv/);
    const evidence = JSON.parse(files.get('evidence.json')?.toString('utf8') ?? '{}') as {
      auditChainHead: { seq: number };
    };
    expect(evidence.auditChainHead.seq).toBeGreaterThan(0);
  });
});
