import { classify, daysRemaining, defaultThresholds } from '../inventory/severity';
import type { NotifyItem, ReminderMode, ThresholdLevel } from './notify-schemas';
import { evaluateReminders, type ReminderPolicy, type ReminderState, type Snooze } from './reminder-engine';

const DAY = 86_400_000;
const start = new Date('2026-01-01T08:00:00Z');
const at = (day: number, hours = 0): Date => new Date(start.getTime() + day * DAY + hours * 3_600_000);

function item(expiresOn: Date | null, now: Date, vaultName = 'kv-prod'): NotifyItem {
  return {
    id: `https://${vaultName}.vault.azure.net/secrets/db-password`,
    scope: vaultName,
    kind: 'secret',
    name: 'db-password',
    vaultName,
    subscriptionId: 'sub-1',
    subscriptionName: 'Production',
    expiresOn: expiresOn?.toISOString() ?? null,
    severity: classify(expiresOn, now, defaultThresholds),
    daysRemaining: expiresOn ? daysRemaining(expiresOn, now) : null,
    tags: {},
  };
}

const modes = (warning: ReminderMode, severe = warning, critical = severe): Record<ThresholdLevel, ReminderMode> => ({
  warning,
  severe,
  critical,
});
const allEnabled = { warning: true, severe: true, critical: true };

interface Scan {
  readonly at: Date;
  /** Expiry of the item at this scan; `'gone'` = deleted; `'unreachable'` = its vault could not be read. */
  readonly expiry: Date | null | 'gone' | 'unreachable';
  readonly snooze?: Snooze;
}

/** Runs the scans in order, carrying state like the store would, and prints one word per scan. */
function run(policy: ReminderPolicy, scans: readonly Scan[]): string[] {
  let previous = new Map<string, ReminderState>();
  const out: string[] = [];
  scans.forEach((scan, index) => {
    const present = scan.expiry !== 'gone' && scan.expiry !== 'unreachable';
    const snapshot = present ? [item(scan.expiry as Date | null, scan.at)] : [];
    const id = item(null, scan.at).id;
    const result = evaluateReminders({
      scanId: `scan-${index}`,
      now: scan.at,
      items: snapshot,
      previous,
      snoozes: scan.snooze ? new Map([[id, scan.snooze]]) : new Map(),
      unreachableScopes: scan.expiry === 'unreachable' ? new Set(['kv-prod']) : new Set(),
      policy,
    });
    const next = new Map(previous);
    for (const [key, value] of result.state) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    previous = next;
    out.push(
      result.events.map((e) => (e.action === 'resolve' ? `resolve:${e.reason}` : `${e.reason}:${e.level}`)).join(',') ||
        '-',
    );
  });
  return out;
}

/** Daily scans from day `from` to day `to` for an item expiring at `expires` (32 days after day 0 by default). */
const daily = (from: number, to: number, expires: Date = at(32)): Scan[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ at: at(from + i), expiry: expires }));

/** Compresses a day-by-day result into `day:word` pairs for the days that notified. */
const notifiedDays = (from: number, words: string[]): string[] =>
  words.flatMap((word, i) => (word === '-' ? [] : [`${from + i}:${word}`]));

describe('reminder engine, day by day (thresholds 30/14/7, item expiring on day 32)', () => {
  it('once: notifies on entering each level and on expiry, never in between', () => {
    const result = run({ modes: modes('once'), enabled: allEnabled }, daily(0, 40));
    expect(notifiedDays(0, result)).toEqual([
      '2:entered:warning',
      '18:escalated:severe',
      '25:escalated:critical',
      '32:escalated:expired',
    ]);
  });

  it('daily: notifies every day the item stays in a window', () => {
    const result = run({ modes: modes('daily'), enabled: allEnabled }, daily(0, 34));
    expect(result.slice(0, 5)).toEqual(['-', '-', 'entered:warning', 'reminder:warning', 'reminder:warning']);
    expect(result[17]).toBe('reminder:warning');
    expect(result[18]).toBe('escalated:severe');
    expect(result[19]).toBe('reminder:severe');
    expect(result[25]).toBe('escalated:critical');
    expect(result[32]).toBe('escalated:expired');
    expect(result[33]).toBe('reminder:expired');
    expect(result.filter((w) => w === '-')).toHaveLength(2);
  });

  it('daily: a second scan on the same UTC day does not repeat the reminder', () => {
    const scans: Scan[] = [
      { at: at(3), expiry: at(32) },
      { at: at(3, 6), expiry: at(32) },
      { at: at(4), expiry: at(32) },
    ];
    expect(run({ modes: modes('daily'), enabled: allEnabled }, scans)).toEqual([
      'entered:warning',
      '-',
      'reminder:warning',
    ]);
  });

  it('weekly: a reminder every 7 days from entering the level; escalation restarts the week', () => {
    const result = run({ modes: modes('weekly'), enabled: allEnabled }, daily(0, 40));
    expect(notifiedDays(0, result)).toEqual([
      '2:entered:warning',
      '9:reminder:warning',
      '16:reminder:warning',
      '18:escalated:severe',
      '25:escalated:critical',
      '32:escalated:expired',
      '39:reminder:expired',
    ]);
  });

  it('every_scan: every scan notifies, several a day', () => {
    const scans: Scan[] = [0, 6, 12, 24].map((h) => ({ at: at(5, h), expiry: at(32) }));
    expect(run({ modes: modes('every_scan'), enabled: allEnabled }, scans)).toEqual([
      'entered:warning',
      'reminder:warning',
      'reminder:warning',
      'reminder:warning',
    ]);
  });

  it('mixed modes: weekly warning, daily severe, once critical', () => {
    const result = run({ modes: modes('weekly', 'daily', 'once'), enabled: allEnabled }, daily(14, 34));
    expect(notifiedDays(14, result)).toEqual([
      '14:entered:warning',
      '18:escalated:severe',
      '19:reminder:severe',
      '20:reminder:severe',
      '21:reminder:severe',
      '22:reminder:severe',
      '23:reminder:severe',
      '24:reminder:severe',
      '25:escalated:critical',
      '32:escalated:expired',
    ]);
  });

  it('a disabled threshold stays silent; the next enabled one notifies as an entry', () => {
    const result = run(
      { modes: modes('daily'), enabled: { warning: false, severe: true, critical: true } },
      daily(0, 20),
    );
    expect(notifiedDays(0, result)).toEqual(['18:entered:severe', '19:reminder:severe', '20:reminder:severe']);
  });

  it('renewal: a new expiry outside the windows resolves once, then silence; a renewal inside them changes level', () => {
    const scans: Scan[] = [
      ...daily(26, 27),
      { at: at(28), expiry: at(28 + 20) },
      { at: at(29), expiry: at(29 + 365) },
      { at: at(30), expiry: at(30 + 365) },
    ];
    expect(run({ modes: modes('once'), enabled: allEnabled }, scans)).toEqual([
      'entered:critical',
      '-',
      'changed:warning',
      'resolve:renewed',
      '-',
    ]);
  });

  it('deletion resolves; an unreachable vault is not a deletion', () => {
    const scans: Scan[] = [
      { at: at(20), expiry: at(32) },
      { at: at(21), expiry: 'unreachable' },
      { at: at(22), expiry: at(32) },
      { at: at(23), expiry: 'gone' },
      { at: at(24), expiry: 'gone' },
    ];
    expect(run({ modes: modes('once'), enabled: allEnabled }, scans)).toEqual([
      'entered:severe',
      '-',
      '-',
      'resolve:deleted',
      '-',
    ]);
  });

  it('snooze: silent until the date, escalation adopted silently, then the cadence resumes', () => {
    const snooze = { until: at(27, -8).toISOString(), reason: 'rotation planned' };
    const scans: Scan[] = daily(20, 29).map((scan) => (scan.at < new Date(snooze.until) ? { ...scan, snooze } : scan));
    const result = run({ modes: modes('daily'), enabled: allEnabled }, [{ at: at(19), expiry: at(32) }, ...scans]);
    expect(notifiedDays(19, result)).toEqual([
      '19:entered:severe',
      '27:escalated:critical',
      '28:reminder:critical',
      '29:reminder:critical',
    ]);
  });

  it('an item snoozed from the start and deleted resolves nothing (nothing was sent)', () => {
    const snooze = { until: at(40).toISOString(), reason: 'decommissioning' };
    const scans: Scan[] = [
      { at: at(20), expiry: at(32), snooze },
      { at: at(21), expiry: 'gone', snooze },
    ];
    expect(run({ modes: modes('daily'), enabled: allEnabled }, scans)).toEqual(['-', '-']);
  });

  it('the same scan evaluated twice yields the same event keys; the next day yields new ones', () => {
    const policy = { modes: modes('daily'), enabled: allEnabled };
    const prev: ReminderState = {
      item: item(at(32), at(10)),
      level: 'warning',
      enteredAt: at(10).toISOString(),
      lastNotifiedAt: at(10).toISOString(),
      levels: ['warning'],
    };
    const evaluate = (day: number) =>
      evaluateReminders({
        scanId: `scan-${day}`,
        now: at(day),
        items: [item(at(32), at(day))],
        previous: new Map([[prev.item.id, prev]]),
        snoozes: new Map(),
        unreachableScopes: new Set(),
        policy,
      }).events.map((e) => e.key);
    expect(evaluate(11)).toEqual(evaluate(11));
    expect(evaluate(11)).toHaveLength(1);
    expect(evaluate(12)).not.toEqual(evaluate(11));
  });
});
