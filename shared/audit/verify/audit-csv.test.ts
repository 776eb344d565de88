import { AUDIT_CSV_COLUMNS, csvLine, parseCsv, renderAuditCsv, type AuditCsvRow } from './audit-csv';

describe('audit CSV', () => {
  it('quotes every field, doubles inner quotes and ends rows with CRLF', () => {
    expect(csvLine(['a', 'b "c", d', ''])).toBe('"a","b ""c"", d",""\r\n');
  });

  it('round-trips awkward values through render and parse', () => {
    const row = Object.fromEntries(
      AUDIT_CSV_COLUMNS.map((c) => [c, `${c} with "quotes", commas,\r\nand lines`]),
    ) as AuditCsvRow;
    const records = parseCsv(renderAuditCsv([row, { ...row, seq: '2' }]));
    expect(records.map((r) => r.fields)).toEqual([
      [...AUDIT_CSV_COLUMNS],
      AUDIT_CSV_COLUMNS.map((c) => row[c]),
      AUDIT_CSV_COLUMNS.map((c) => (c === 'seq' ? '2' : row[c])),
    ]);
    // Line numbers point at where each record starts: row 2 spans one line per embedded line break, plus its own.
    expect(records.map((r) => r.line)).toEqual([1, 2, 2 + AUDIT_CSV_COLUMNS.length + 1]);
  });

  it('parses bare fields and rejects broken quoting', () => {
    expect(parseCsv('a,b\nc,').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['c', ''],
    ]);
    expect(() => parseCsv('"a"x,b\r\n')).toThrow('after a closing quote');
    expect(() => parseCsv('"a,b\r\n')).toThrow('unterminated');
  });
});
