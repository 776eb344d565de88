import { classify } from '../../shared/inventory/severity';
import { expectedSeverity } from './scan-expected';

/** The oracle itself, checked against hand-worked cases at the edges the brief defines. */
describe('the severity oracle of the scan tests', () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);
  const DAY = 86_400_000;
  const cases: [string, Date | null, string][] = [
    ['no expiry', null, 'noExpiry'],
    ['exactly now', at(0), 'expired'],
    ['a millisecond ago', at(-1), 'expired'],
    ['a millisecond ahead (0 whole days)', at(1), 'critical'],
    ['7 days 23 h (7 whole days)', at(8 * DAY - 3_600_000), 'critical'],
    ['8 days', at(8 * DAY), 'severe'],
    ['14 days 23 h', at(15 * DAY - 3_600_000), 'severe'],
    ['15 days', at(15 * DAY), 'warning'],
    ['30 days 23 h', at(31 * DAY - 3_600_000), 'warning'],
    ['31 days', at(31 * DAY), 'healthy'],
  ];
  it.each(cases)('%s', (_name, exp, severity) => {
    expect(expectedSeverity(exp, now)).toBe(severity);
    // The product agrees with the oracle on every edge (the oracle is not derived from it).
    expect(classify(exp, now)).toBe(severity);
  });
});
