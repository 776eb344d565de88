import { AUDIT_ALGORITHM_VERSION, GENESIS_HASH, canonicalJson, hashEntry, sha256Hex } from './audit-canonical';
import { renderAuditCsv, type AuditCsvRow } from './audit-csv';
import { AUDIT_MANIFEST_FORMAT, signDocument, type AuditManifest } from './audit-manifest';
import { verifyAuditExport } from './verify-audit-export';

const KEY = 'unit-test-key-0123456789abcdef0123456789abcdef';

/** Builds a valid chain of `n` rows, optionally re-hashing from `rehashFrom` after `edit` (a forger's attempt). */
function chain(n: number, edit?: (row: Omit<AuditCsvRow, 'hash' | 'prevHash'>, index: number) => void): AuditCsvRow[] {
  const rows: AuditCsvRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const details = { step: i };
    const row = {
      seq: String(i + 1),
      timestamp: `2026-11-22T10:00:0${i}.000Z`,
      actorType: 'system',
      actorId: 'system',
      actorName: '',
      action: 'discovery.scan.started',
      target: `scan:${i}`,
      outcome: 'success',
      details: canonicalJson(details),
      correlationId: `c-${i}`,
    };
    edit?.(row, i);
    const hash = hashEntry({ ...row, seq: i + 1, details: JSON.parse(row.details) as { step: number }, prevHash });
    rows.push({ ...row, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

function manifestFor(rows: AuditCsvRow[], csv: Buffer, key = KEY): AuditManifest {
  return signDocument<AuditManifest>(
    {
      format: AUDIT_MANIFEST_FORMAT,
      algorithmVersion: AUDIT_ALGORITHM_VERSION,
      tenant: 't',
      scope: 's',
      range: { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
      rowCount: rows.length,
      firstSeq: rows.length ? 1 : null,
      lastSeq: rows.length || null,
      firstHash: rows[0]?.hash ?? null,
      lastHash: rows.at(-1)?.hash ?? null,
      chainHeadSeq: rows.length,
      chainHeadHash: rows.at(-1)?.hash ?? GENESIS_HASH,
      csvFileName: 'audit.csv',
      csvSha256: sha256Hex(csv),
      generatedAt: '2026-11-23T00:00:00.000Z',
      generatedBy: 'user:u-1',
    },
    key,
  );
}

const rows = chain(5);
const csv = Buffer.from(renderAuditCsv(rows));
const manifest = manifestFor(rows, csv);

describe('verifyAuditExport', () => {
  it('accepts an intact export and an empty one', () => {
    expect(verifyAuditExport({ csv, manifest, key: KEY })).toMatchObject({
      ok: true,
      rowCount: 5,
      firstSeq: 1,
      lastSeq: 5,
    });
    const empty = Buffer.from(renderAuditCsv([]));
    expect(verifyAuditExport({ csv: empty, manifest: manifestFor([], empty), key: KEY })).toMatchObject({
      ok: true,
      rowCount: 0,
    });
  });

  it('names the row when a field is edited and its hash recomputed (the next link breaks)', () => {
    const forged = rows.map((row) => ({ ...row }));
    const third = forged[2];
    if (!third) throw new Error('fixture');
    third.outcome = 'failure';
    third.hash = hashEntry({ ...third, seq: 3, details: { step: 2 } });
    const result = verifyAuditExport({ csv: Buffer.from(renderAuditCsv(forged)), manifest, key: KEY });
    expect(result).toMatchObject({ ok: false, row: 4, seq: 4, problem: expect.stringContaining('prevHash') });
  });

  it('catches a whole chain recomputed after an edit through the signed last hash', () => {
    const forged = chain(5, (row, i) => {
      if (i === 1) row.target = 'scan:forged';
    });
    const result = verifyAuditExport({ csv: Buffer.from(renderAuditCsv(forged)), manifest, key: KEY });
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('manifest') });
  });

  it('rejects a chain that does not start from genesis, non-canonical details and a bad header', () => {
    const notGenesis = rows.map((row, i) => (i === 0 ? { ...row, prevHash: 'a'.repeat(64) } : row));
    const csvNotGenesis = Buffer.from(renderAuditCsv(notGenesis));
    expect(
      verifyAuditExport({ csv: csvNotGenesis, manifest: manifestFor(notGenesis, csvNotGenesis), key: KEY }),
    ).toMatchObject({ ok: false, row: 1, problem: expect.stringContaining('genesis') });

    const spaced = Buffer.from(renderAuditCsv(rows).replace('{""step"":0}', '{""step"": 0}'));
    expect(verifyAuditExport({ csv: spaced, manifest: manifestFor(rows, spaced), key: KEY })).toMatchObject({
      ok: false,
      row: 1,
      problem: 'details is not in canonical form',
    });

    const header = Buffer.from(renderAuditCsv(rows).replace('"seq"', '"sequence"'));
    expect(verifyAuditExport({ csv: header, manifest: manifestFor(rows, header), key: KEY })).toMatchObject({
      ok: false,
      line: 1,
    });
  });

  it('rejects a manifest of another version or format', () => {
    expect(verifyAuditExport({ csv, manifest: { ...manifest, algorithmVersion: 2 }, key: KEY }).ok).toBe(false);
    expect(verifyAuditExport({ csv, manifest: [], key: KEY }).ok).toBe(false);
  });
});
