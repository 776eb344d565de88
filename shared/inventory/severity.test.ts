import { classify, daysRemaining, defaultThresholds, thresholdsAreOrdered } from './severity';

const now = new Date('2026-11-22T12:00:00Z');
const inDays = (days: number, extraMs = 0): Date => new Date(now.getTime() + days * 86_400_000 + extraMs);

describe('classify', () => {
  it.each([
    [31, 'healthy'],
    [30, 'warning'],
    [15, 'warning'],
    [14, 'severe'],
    [8, 'severe'],
    [7, 'critical'],
    [1, 'critical'],
  ] as const)('an item %i days out is %s with the default thresholds', (days, expected) => {
    expect(classify(inDays(days), now)).toBe(expected);
  });

  it('counts whole days down, so 7 days and 23 hours is still critical and one millisecond past expiry is expired', () => {
    expect(classify(inDays(7, 23 * 3_600_000), now)).toBe('critical');
    expect(classify(inDays(0, 1), now)).toBe('critical');
    expect(classify(now, now)).toBe('expired');
    expect(classify(inDays(0, -1), now)).toBe('expired');
    expect(daysRemaining(inDays(0, -1), now)).toBe(-1);
  });

  it('marks items without an expiry date as noExpiry', () => {
    expect(classify(null, now)).toBe('noExpiry');
  });

  it('follows custom thresholds', () => {
    expect(classify(inDays(45), now, { warningDays: 60, severeDays: 30, criticalDays: 10 })).toBe('warning');
    expect(classify(inDays(45), now, defaultThresholds)).toBe('healthy');
  });
});

describe('thresholdsAreOrdered', () => {
  it('accepts warning > severe > critical >= 1 and rejects anything else', () => {
    expect(thresholdsAreOrdered(defaultThresholds)).toBe(true);
    expect(thresholdsAreOrdered({ warningDays: 14, severeDays: 14, criticalDays: 7 })).toBe(false);
    expect(thresholdsAreOrdered({ warningDays: 30, severeDays: 14, criticalDays: 0 })).toBe(false);
    expect(thresholdsAreOrdered({ warningDays: 30.5, severeDays: 14, criticalDays: 7 })).toBe(false);
  });
});
