// The export CSV (RFC 4180): UTF-8 without BOM, a header row, CRLF after every row, every field quoted with
// inner quotes doubled. Quoting every field keeps the format one rule, so any verifier can reproduce it.

/** Column order of the export; `details` holds the canonical JSON of the redacted details. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'timestamp',
  'actorType',
  'actorId',
  'actorName',
  'action',
  'target',
  'outcome',
  'details',
  'correlationId',
  'prevHash',
  'hash',
] as const;

export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];
export type AuditCsvRow = Record<AuditCsvColumn, string>;

export function csvLine(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replaceAll('"', '""')}"`).join(',') + '\r\n';
}

export function renderAuditCsv(rows: readonly AuditCsvRow[]): string {
  let text = csvLine(AUDIT_CSV_COLUMNS);
  for (const row of rows) text += csvLine(AUDIT_CSV_COLUMNS.map((column) => row[column]));
  return text;
}

/** A parsed record with the 1-based line it starts on, so a verifier can point at it. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parses RFC 4180 text (quoted or bare fields, CRLF or LF). Throws on a malformed quote so a damaged file is
 * reported as such rather than silently re-split.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let atFieldStart = true;
  while (i < text.length) {
    const char = text[i];
    if (atFieldStart && char === '"') {
      const end = readQuoted(text, i + 1, line);
      field = end.value;
      line = end.line;
      i = end.next;
      atFieldStart = false;
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') {
        throw new Error(`line ${line}: unexpected character after a closing quote`);
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      recordLine = line;
    } else {
      field += char;
      atFieldStart = false;
    }
    i++;
  }
  if (!atFieldStart || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

function readQuoted(text: string, start: number, startLine: number): { value: string; next: number; line: number } {
  let value = '';
  let line = startLine;
  let i = start;
  for (;;) {
    const char = text[i];
    if (char === undefined) throw new Error(`line ${startLine}: unterminated quoted field`);
    if (char === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, next: i + 1, line };
    }
    if (char === '\n') line++;
    value += char;
    i++;
  }
}
