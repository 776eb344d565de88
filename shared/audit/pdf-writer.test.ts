import { winAnsi } from './pdf-writer';

describe('winAnsi', () => {
  it('keeps printable ASCII and the characters asked for, maps the replacements, and shows the rest as ?', () => {
    expect(winAnsi()('a \u2019b\u2014c\u2026 \u00e9\u{1f512}')).toBe('a ?b?c? ??');
    expect(winAnsi({ keep: '\u2019' })('management\u2019s \u2014')).toBe('management\u2019s ?');
    expect(winAnsi({ replace: { '\u2014': '-', '\u2026': '...' } })('a \u2014 b\u2026')).toBe('a - b...');
  });
});
