import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  decodePDFRawStream,
  type PDFHexString,
  type PDFString,
} from 'pdf-lib';
import type { AuditService } from '../../shared/audit/audit-service';
import { fixedClock } from '../../shared/time/clock';
import { verifyAuditExport } from '../../shared/audit/verify/verify-audit-export';
import { TENANT, startAuditFixture, uniqueName, type AuditFixture } from './audit-fixture';
import { compileVerifier, runVerifier } from './verifier-cli';

jest.setTimeout(120_000);

const SEEDED = [
  'hunter2-SEEDED',
  'SEEDEDWEBHOOK',
  'SEEDEDACCOUNTKEY',
  'SEEDED-CLIENT-SECRET',
  'SEEDED-TOKEN',
  'SEEDEDSIG',
];
const admin = { type: 'user' as const, id: 'admin-1', name: 'Ada Admin' };

let fixture: AuditFixture;
let cli: string;
let service: AuditService;
let container: string;
const clock = fixedClock(new Date('2026-11-22T09:00:00.000Z'));

beforeAll(async () => {
  cli = compileVerifier();
  fixture = await startAuditFixture();
  container = uniqueName('exports');
  service = fixture.service({ table: uniqueName('auditexp'), container, clock });
  await service.append({
    actor: admin,
    action: 'channel.created',
    target: 'channel:slack-ops',
    outcome: 'success',
    details: {
      password: SEEDED[0],
      webhookUrl: `https://hooks.slack.com/services/T0/B0/${SEEDED[1]}`,
      note: `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${SEEDED[2]}==`,
      nested: { clientSecret: SEEDED[3], list: [{ token: SEEDED[4] }] },
      channelType: 'slack, "quoted"\r\nmultiline',
    },
    correlationId: 'c-1',
  });
  for (let i = 0; i < 6; i++) {
    clock.advance(60_000);
    await service.append({
      actor: i % 2 ? admin : { type: 'system' },
      action: i % 2 ? 'settings.updated' : 'discovery.scan.completed',
      target: i === 3 ? `https://acct.blob.core.windows.net/c?sv=1&sig=${SEEDED[5]}` : 'settings/general',
      outcome: 'success',
      details: { setting: 'days', old: i, new: i + 1, ratio: 0.5, ok: true, none: null },
      correlationId: `c-${i + 2}`,
    });
  }
  clock.advance(60_000);
});
afterAll(async () => {
  await fixture.stop();
});

async function download(blob: string): Promise<Buffer> {
  return fixture.container(container).getBlockBlobClient(blob).downloadToBuffer();
}

function writeFiles(csv: string | Buffer, manifest: string): { csv: string; manifest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-audit-'));
  writeFileSync(join(dir, 'audit.csv'), csv);
  writeFileSync(join(dir, 'manifest.json'), manifest);
  writeFileSync(join(dir, 'key.pem'), fixture.publicKeyPem);
  return { csv: join(dir, 'audit.csv'), manifest: join(dir, 'manifest.json') };
}

describe('audit CSV export and the standalone verifier', () => {
  let csvText: string;
  let manifestText: string;
  let keyFile: string;

  beforeAll(async () => {
    const result = await service.exportTrail({ format: 'csv', actor: admin });
    expect(result.manifest.rowCount).toBe(7);
    // What was written to Blob Storage is exactly what was returned.
    expect((await download(result.blobs.csv)).equals(result.csv)).toBe(true);
    manifestText = (await download(result.blobs.manifest)).toString('utf8');
    expect(JSON.parse(manifestText)).toEqual(result.manifest);
    csvText = result.csv.toString('utf8');
    const files = writeFiles(csvText, manifestText);
    keyFile = join(files.csv, '..', 'key.pem');
  });

  it('contains no secret seeded into details or targets', () => {
    for (const secret of SEEDED) {
      expect(csvText).not.toContain(secret);
      expect(manifestText).not.toContain(secret);
    }
    expect(csvText).toContain('[redacted]');
  });

  it('verifies an untouched export with the CLI (exit 0) and the function', async () => {
    const files = writeFiles(csvText, manifestText);
    const run = await runVerifier(cli, [files.csv, files.manifest, '--public-key', keyFile]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('OK: 7 rows (seq 1..7)');
    expect(
      verifyAuditExport({
        csv: Buffer.from(csvText),
        manifest: JSON.parse(manifestText),
        publicKeys: [fixture.publicKey],
      }).ok,
    ).toBe(true);
  });

  const lines = (text: string): string[] => text.split('\r\n');
  const tamperings: [string, (csv: string) => string, RegExp][] = [
    [
      'edit a field',
      (csv) => csv.replace('"settings/general"', '"settings/other"'),
      /row 2 .*seq 2: hash does not match/,
    ],
    [
      'delete a row',
      (csv) =>
        lines(csv)
          .filter((_, i) => i !== 3)
          .join('\r\n'),
      /row 3 .*seq 4 where 3 was expected/,
    ],
    [
      'swap two rows',
      (csv) => {
        const l = lines(csv);
        [l[2], l[3]] = [l[3] ?? '', l[2] ?? ''];
        return l.join('\r\n');
      },
      /row 2 .*seq 3 where 2 was expected/,
    ],
    [
      'truncate the end',
      (csv) => lines(csv).slice(0, -2).join('\r\n') + '\r\n',
      /ends at row 6 \(seq 6\).*manifest lists 7 rows/,
    ],
    ['add a trailing space', (csv) => csv + ' ', /malformed|expected 12 fields/],
  ];

  it.each(tamperings)('detects: %s (CLI exit 1 naming the row, and the function)', async (_name, tamper, message) => {
    const tampered = tamper(csvText);
    expect(tampered).not.toBe(csvText);
    const files = writeFiles(tampered, manifestText);
    const run = await runVerifier(cli, [files.csv, files.manifest, '--public-key', keyFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    const result = verifyAuditExport({
      csv: Buffer.from(tampered),
      manifest: JSON.parse(manifestText),
      publicKeys: [fixture.publicKey],
    });
    expect(result.ok).toBe(false);
  });

  it('detects an altered manifest, and tells a wrong key apart', async () => {
    const altered = manifestText.replace('"rowCount": 7', '"rowCount": 6');
    expect(altered).not.toBe(manifestText);
    const files = writeFiles(csvText, altered);
    const run = await runVerifier(cli, [files.csv, files.manifest, '--public-key', keyFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the manifest signature does not match');

    const original = writeFiles(csvText, manifestText);
    const otherKeyFile = join(original.csv, '..', 'other.pem');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    writeFileSync(otherKeyFile, other.export({ format: 'pem', type: 'spki' }));
    const wrongKey = await runVerifier(cli, [original.csv, original.manifest, '--public-key', otherKeyFile]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('signed with another key');
  });

  it('exits 2 on a usage error', async () => {
    const run = await runVerifier(cli, ['only-one-file.csv']);
    expect(run.code).toBe(2);
  });

  it('exports a partial time range that verifies on its own', async () => {
    const result = await service.exportTrail({
      format: 'csv',
      actor: admin,
      from: '2026-11-22T09:02:00Z',
      to: '2026-11-22T09:05:00Z',
    });
    expect(result.manifest).toMatchObject({ rowCount: 3, firstSeq: 3, lastSeq: 5 });
    expect(
      verifyAuditExport({ csv: result.csv, manifest: result.manifest, publicKeys: [fixture.publicKey] }),
    ).toMatchObject({
      ok: true,
      rowCount: 3,
    });
  });

  it('refuses an empty or unreadable range', async () => {
    await expect(
      service.exportTrail({ format: 'csv', actor: admin, from: '2026-11-22T10:00:00Z', to: '2026-11-22T09:00:00Z' }),
    ).rejects.toThrow('from before to');
    await expect(service.exportTrail({ format: 'csv', actor: admin, from: 'yesterday' })).rejects.toThrow(
      'ISO timestamps',
    );
  });

  it('records each export in the chain', async () => {
    const exports = await service.list({ action: 'audit.exported' });
    expect(exports.entries.length).toBeGreaterThanOrEqual(1);
    expect(exports.entries[0]?.details).toMatchObject({ format: 'csv', rowCount: 7 });
  });
});

describe('audit evidence PDF', () => {
  it('embeds the CSV verbatim as an attachment and carries a cover and an assertion page', async () => {
    const result = await service.exportTrail({ format: 'pdf', actor: admin });
    expect(result.pdf).toBeDefined();
    expect(result.blobs.pdf).toBeDefined();
    const stored = await download(result.blobs.pdf ?? '');
    const doc = await PDFDocument.load(stored);
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getTitle()).toContain('Keyward audit evidence');

    const attachments = readAttachments(doc);
    expect(Object.keys(attachments).sort()).toEqual(['audit.csv', 'manifest.json']);
    expect(Buffer.from(attachments['audit.csv'] ?? []).equals(result.csv)).toBe(true);
    const manifest: unknown = JSON.parse(Buffer.from(attachments['manifest.json'] ?? []).toString('utf8'));
    expect(manifest).toEqual(result.manifest);
    expect(
      verifyAuditExport({
        csv: attachments['audit.csv'] ?? new Uint8Array(),
        manifest,
        publicKeys: [fixture.publicKey],
      }).ok,
    ).toBe(true);
    expect(result.manifest.tenant).toBe(TENANT.id);
    for (const secret of SEEDED) expect(Buffer.from(result.pdf ?? []).includes(secret)).toBe(false);
  });
});

describe('signed checkpoints', () => {
  it('are written at every tick, empty periods included, linked, and cross-checked by the verifier', async () => {
    const checkpointClock = fixedClock(new Date('2026-11-22T12:00:00.000Z'));
    const cpContainer = uniqueName('exports');
    const svc = fixture.service({ table: uniqueName('auditcp'), container: cpContainer, clock: checkpointClock });
    const first = await svc.writeCheckpoint();
    expect(first).toMatchObject({ checkpointSeq: 1, headSeq: 0, prevCheckpointSignature: '' });
    for (let i = 0; i < 3; i++)
      await svc.append({ actor: { type: 'system' }, action: 'discovery.scan.started', outcome: 'success' });
    checkpointClock.advance(3_600_000);
    const second = await svc.writeCheckpoint();
    checkpointClock.advance(3_600_000);
    const third = await svc.writeCheckpoint(); // nothing appended in this hour
    expect([second.headSeq, third.headSeq]).toEqual([3, 3]);
    expect(third.headHash).toBe(second.headHash);
    expect(third.prevCheckpointSignature).toBe(second.signature.value);
    expect((await svc.listCheckpoints()).map((c) => c.checkpointSeq)).toEqual([1, 2, 3]);
    const blob = await fixture
      .container(cpContainer)
      .getBlockBlobClient('checkpoints/000000000002.json')
      .downloadToBuffer();
    expect(JSON.parse(blob.toString('utf8'))).toEqual(second);

    checkpointClock.advance(60_000);
    const exported = await svc.exportTrail({ format: 'csv', actor: admin });
    const checkpoints = await svc.listCheckpoints();
    expect(
      verifyAuditExport({
        csv: exported.csv,
        manifest: exported.manifest,
        publicKeys: [fixture.publicKey],
        checkpoints,
      }),
    ).toMatchObject({ ok: true, checkpointsChecked: 3 });

    const forged = checkpoints.map((c) => (c.checkpointSeq === 2 ? { ...c, headHash: 'f'.repeat(64) } : c));
    expect(
      verifyAuditExport({
        csv: exported.csv,
        manifest: exported.manifest,
        publicKeys: [fixture.publicKey],
        checkpoints: forged,
      }),
    ).toMatchObject({ ok: false, problem: expect.stringContaining('checkpoint 2 signature is invalid') });
    const missing = checkpoints.filter((c) => c.checkpointSeq !== 2);
    expect(
      verifyAuditExport({
        csv: exported.csv,
        manifest: exported.manifest,
        publicKeys: [fixture.publicKey],
        checkpoints: missing,
      }),
    ).toMatchObject({ ok: false, problem: 'checkpoints between 1 and 3 are missing' });

    const files = writeFiles(exported.csv, JSON.stringify(exported.manifest));
    const checkpointFile = join(files.csv, '..', 'checkpoints.json');
    writeFileSync(checkpointFile, JSON.stringify(checkpoints));
    const run = await runVerifier(cli, [
      files.csv,
      files.manifest,
      '--checkpoints',
      checkpointFile,
      '--public-key',
      join(files.csv, '..', 'key.pem'),
    ]);
    expect(run.stdout).toContain('3 checkpoints checked');
    expect(run.code).toBe(0);
    expect(readFileSync(files.csv).equals(exported.csv)).toBe(true);
  });
});

/** Reads every embedded file of a PDF through pdf-lib's object model (Names → EmbeddedFiles → EF/F). */
function readAttachments(doc: PDFDocument): Record<string, Uint8Array> {
  const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict);
  const embedded = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = embedded.lookup(PDFName.of('Names'), PDFArray);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < list.size(); i += 2) {
    const name = (list.lookup(i) as PDFString | PDFHexString).decodeText();
    const spec = list.lookup(i + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (!(stream instanceof PDFRawStream)) throw new Error(`attachment ${name} is not a stream`);
    files[name] = decodePDFRawStream(stream).decode();
  }
  return files;
}
