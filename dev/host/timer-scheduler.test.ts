import type { RegisteredFunction } from './core-api';
import type { InvocationInput } from './invocation-runner';
import { parseSchedule, startTimers, timerInput } from './timer-scheduler';

describe('timer schedules', () => {
  it('evaluates 6-field NCRONTAB in UTC, seconds first', () => {
    const next = parseSchedule('0 30 9 * * 1-5');
    // Friday 2026-01-02 10:00 UTC → Monday 09:30 UTC.
    expect(next(new Date('2026-01-02T10:00:00Z')).toISOString()).toBe('2026-01-05T09:30:00.000Z');
    expect(parseSchedule('*/10 * * * * *')(new Date('2026-01-01T00:00:01Z')).toISOString()).toBe(
      '2026-01-01T00:00:10.000Z',
    );
  });

  it('accepts TimeSpan intervals and rejects 5-field cron', () => {
    expect(parseSchedule('00:15:00')(new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:15:00.000Z');
    expect(() => parseSchedule('*/5 * * * *')).toThrow(/6-field/);
  });

  it('builds the payload the library camel-cases into Timer', () => {
    const input = timerInput(
      'timerTrigger1',
      true,
      undefined,
      new Date('2026-01-01T00:05:00Z'),
      new Date('2026-01-01T00:00:00Z'),
    );
    const payload = JSON.parse(input.inputData[0]?.data.json ?? '{}') as Record<string, unknown>;
    expect(payload).toEqual({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: '1970-01-01T00:00:00.000Z',
        Next: '2026-01-01T00:05:00.000Z',
        LastUpdated: '2026-01-01T00:00:00.000Z',
      },
      IsPastDue: true,
    });
  });
});

describe('startTimers', () => {
  const timerFunction = (runOnStartup: boolean): RegisteredFunction => ({
    metadata: {
      name: 'tick',
      bindings: { t: { type: 'timerTrigger', direction: 'in', schedule: '%EVERY_10S%', runOnStartup } },
    },
    callback: () => undefined,
  });
  const pastDue = (input: InvocationInput): boolean =>
    (JSON.parse(input.inputData[0]?.data.json ?? '{}') as { IsPastDue: boolean }).IsPastDue;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs on schedule, never overlapping: an occurrence missed during a long run comes once, past due', async () => {
    const runs: { at: string; isPastDue: boolean }[] = [];
    const execute = async (_fn: RegisteredFunction, input: InvocationInput): Promise<void> => {
      // To the second: a missed occurrence is re-armed with setTimeout(0), which Node runs 1 ms later.
      runs.push({ at: new Date().toISOString().slice(0, 19), isPastDue: pastDue(input) });
      // The first run takes 25 s, overrunning the 00:00:20 and 00:00:30 occurrences.
      if (runs.length === 1) await new Promise((resolve) => setTimeout(resolve, 25_000));
    };
    const timers = startTimers([timerFunction(false)], { EVERY_10S: '*/10 * * * * *' }, execute, () => undefined);
    await jest.advanceTimersByTimeAsync(45_000);
    timers.stop();
    expect(runs).toEqual([
      { at: '2026-01-01T00:00:10', isPastDue: false },
      { at: '2026-01-01T00:00:35', isPastDue: true },
      { at: '2026-01-01T00:00:40', isPastDue: false },
    ]);
  });

  it('runs once at startup with runOnStartup, and nothing after stop()', async () => {
    const runs: string[] = [];
    const execute = async (): Promise<void> => {
      runs.push(new Date().toISOString());
    };
    const timers = startTimers([timerFunction(true)], { EVERY_10S: '*/10 * * * * *' }, execute, () => undefined);
    await jest.advanceTimersByTimeAsync(10_000);
    timers.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:10.000Z']);
  });
});
