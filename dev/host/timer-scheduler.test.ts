import { parseSchedule, timerInput } from './timer-scheduler';

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
