import { GENESIS_HASH, canonicalJson, hashEntry, sha256Hex } from './audit-canonical';
import type { JsonValue } from './audit-canonical';
import { AUDIT_CSV_COLUMNS, parseCsv, type AuditCsvRow } from './audit-csv';
import { AUDIT_MANIFEST_FORMAT } from './audit-manifest';
import { checkDocumentSignature, type AuditVerificationKeys } from './audit-signature';
import { verifyCheckpoints } from './verify-audit-checkpoints';

export interface AuditVerifyInput extends AuditVerificationKeys {
  /** The exported CSV, byte for byte. */
  readonly csv: Uint8Array;
  /** The parsed manifest JSON. */
  readonly manifest: unknown;
  /** Parsed checkpoint documents to cross-check against the rows (optional). */
  readonly checkpoints?: readonly unknown[];
}

export type AuditVerifyResult =
  | {
      readonly ok: true;
      /** 2: signed by the Key Vault key; 1: HMAC, written before version 2. */
      readonly algorithmVersion: number;
      readonly rowCount: number;
      readonly firstSeq: number | null;
      readonly lastSeq: number | null;
      readonly checkpointsChecked: number;
    }
  | {
      readonly ok: false;
      readonly problem: string;
      readonly row?: number;
      readonly line?: number;
      readonly seq?: number;
    };

type Failure = Extract<AuditVerifyResult, { ok: false }>;

/** Recomputes the chain of an export and checks it against its signed manifest; stops at the first fault. */
export function verifyAuditExport(input: AuditVerifyInput): AuditVerifyResult {
  const manifest = input.manifest;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    return fail('the manifest is not a JSON object');
  const m = manifest as { readonly [key: string]: unknown };
  if (m.format !== AUDIT_MANIFEST_FORMAT) return fail(`the manifest format is not ${AUDIT_MANIFEST_FORMAT}`);
  const signature = checkDocumentSignature(m, input);
  if (!signature.ok) {
    if (signature.reason === 'wrong-key') return fail(`the manifest was signed with another key: ${signature.detail}`);
    if (signature.reason === 'invalid')
      return fail(`the manifest signature does not match: the manifest was altered (${signature.detail})`);
    return fail(`cannot check the manifest signature: ${signature.detail}`);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input.csv);
  } catch {
    return fail('the CSV is not valid UTF-8');
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    return fail(`the CSV is malformed: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header || header.fields.join(',') !== AUDIT_CSV_COLUMNS.join(','))
    return fail('the CSV header is not the expected columns', { line: 1 });

  const rows = records.slice(1);
  let previous: AuditCsvRow | undefined;
  const hashesBySeq = new Map<number, string>();
  for (const [index, record] of rows.entries()) {
    const where = { row: index + 1, line: record.line };
    if (record.fields.length !== AUDIT_CSV_COLUMNS.length)
      return fail(`expected ${AUDIT_CSV_COLUMNS.length} fields, found ${record.fields.length}`, where);
    const row = Object.fromEntries(
      AUDIT_CSV_COLUMNS.map((column, i) => [column, record.fields[i] ?? '']),
    ) as AuditCsvRow;
    const problem = checkRow(row, previous, m);
    if (problem) return fail(problem, { ...where, seq: Number(row.seq) });
    hashesBySeq.set(Number(row.seq), row.hash);
    previous = row;
  }

  const lastSeq = previous ? Number(previous.seq) : null;
  const firstRow = rows[0];
  const firstHash = firstRow?.fields[AUDIT_CSV_COLUMNS.indexOf('hash')] ?? null;
  if (m.rowCount !== rows.length || m.lastSeq !== lastSeq || m.lastHash !== (previous?.hash ?? null)) {
    const at = previous ? `row ${rows.length} (seq ${previous.seq})` : 'the header';
    return fail(
      `the CSV ends at ${at} but the manifest lists ${String(m.rowCount)} rows up to seq ${String(m.lastSeq)}: rows are missing or added at the end`,
      previous ? { row: rows.length, seq: lastSeq ?? 0 } : {},
    );
  }
  if (m.firstHash !== firstHash) return fail('the first row hash differs from the manifest', { row: 1 });
  if (sha256Hex(input.csv) !== m.csvSha256)
    return fail('the CSV bytes differ from the manifest csvSha256 (rows agree, so the change is in formatting)');

  const checkpoints = verifyCheckpoints(input.checkpoints ?? [], input, hashesBySeq);
  if (!checkpoints.ok) return fail(checkpoints.problem);
  return {
    ok: true,
    algorithmVersion: Number(m.algorithmVersion),
    rowCount: rows.length,
    firstSeq: firstRow ? Number(rows[0]?.fields[0]) : null,
    lastSeq,
    checkpointsChecked: checkpoints.count,
  };
}

function checkRow(
  row: AuditCsvRow,
  previous: AuditCsvRow | undefined,
  manifest: { readonly [key: string]: unknown },
): string | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(row.seq)) return `seq "${row.seq}" is not a positive integer`;
  const seq = Number(row.seq);
  const expectedSeq = previous ? Number(previous.seq) + 1 : manifest.firstSeq;
  if (seq !== expectedSeq)
    return `seq ${seq} where ${String(expectedSeq)} was expected: a row is missing, added or out of order`;
  if (previous && row.prevHash !== previous.hash)
    return `prevHash does not equal the hash of the row before: the chain is broken here`;
  if (!previous && seq === 1 && row.prevHash !== GENESIS_HASH)
    return 'the first entry of the chain must have the genesis prevHash';
  if (previous && row.timestamp < previous.timestamp) return 'timestamp is earlier than the row before';
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return 'details is not valid JSON';
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return 'details is not a JSON object';
  if (canonicalJson(details as JsonValue) !== row.details) return 'details is not in canonical form';
  const hash = hashEntry({ ...row, seq, details: details as { readonly [key: string]: JsonValue } });
  if (hash !== row.hash) return `hash does not match the row's content (recomputed ${hash}): a field was changed`;
  return undefined;
}

function fail(problem: string, where: { row?: number; line?: number; seq?: number } = {}): Failure {
  return { ok: false, problem, ...where };
}
