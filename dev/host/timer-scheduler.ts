import { CronExpressionParser } from 'cron-parser';
import type { RegisteredFunction } from './core-api';
import { stringSetting, triggerOf } from './function-bindings';
import { describeError, type HostLogger } from './host-log';
import { parseTimeSpan, resolveSetting } from './host-settings';
import type { InvocationInput } from './invocation-runner';

/** Next occurrence strictly after `after`. */
export type Schedule = (after: Date) => Date;

/**
 * Parses a timer schedule as the Functions host accepts it: a 6-field NCRONTAB expression
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`) evaluated in UTC, or a TimeSpan (`hh:mm:ss`).
 */
export function parseSchedule(expression: string): Schedule {
  if (/^(\d+\.)?\d{1,2}:\d{2}:\d{2}$/.test(expression)) {
    const interval = parseTimeSpan(expression);
    if (interval <= 0) throw new Error(`Timer interval "${expression}" must be positive.`);
    return (after) => new Date(after.getTime() + interval);
  }
  if (expression.trim().split(/\s+/).length !== 6) {
    throw new Error(`Timer schedule "${expression}" is not a 6-field NCRONTAB expression.`);
  }
  CronExpressionParser.parse(expression, { tz: 'UTC' });
  return (after) => CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: after }).next().toDate();
}

/** The timer payload the host sends (the library camel-cases it into `Timer`). */
export function timerInput(
  bindingName: string,
  isPastDue: boolean,
  last: Date | undefined,
  next: Date,
  now: Date,
): InvocationInput {
  const payload = {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: (last ?? new Date(0)).toISOString(),
      Next: next.toISOString(),
      LastUpdated: now.toISOString(),
    },
    IsPastDue: isPastDue,
  };
  return { inputData: [{ name: bindingName, data: { json: JSON.stringify(payload) } }] };
}

export interface TimerScheduler {
  stop(): void;
}

/** How late an occurrence may start before it counts as past due. */
const PAST_DUE_TOLERANCE_MS = 1000;
/** setTimeout's ceiling; longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs every timer function on its schedule, never overlapping with itself (the host runs timers as
 * singletons): an occurrence due while the previous run is still going starts afterwards, past due.
 */
export function startTimers(
  functions: readonly RegisteredFunction[],
  env: NodeJS.ProcessEnv,
  execute: (fn: RegisteredFunction, input: InvocationInput) => Promise<unknown>,
  log: HostLogger,
  now: () => Date = () => new Date(),
): TimerScheduler {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  for (const fn of functions) {
    const { name: bindingName, binding } = triggerOf(fn);
    let schedule: Schedule;
    try {
      schedule = parseSchedule(resolveSetting(stringSetting(binding, 'schedule') ?? '', env));
    } catch (error) {
      log('error', `The timer cannot start: ${describeError(error)}`, { functionName: fn.metadata.name });
      continue;
    }
    let last: Date | undefined;

    /** Runs one occurrence; resolves whether it was past due. */
    const fire = async (scheduled: Date | undefined): Promise<boolean> => {
      const start = now();
      const isPastDue = scheduled !== undefined && start.getTime() - scheduled.getTime() > PAST_DUE_TOLERANCE_MS;
      // A failure is logged by the runner; the schedule goes on.
      await execute(fn, timerInput(bindingName, isPastDue, last, schedule(start), start)).catch(() => undefined);
      last = start;
      return isPastDue;
    };

    const arm = (due: Date): void => {
      if (stopped) return;
      const delay = Math.min(Math.max(due.getTime() - now().getTime(), 0), MAX_DELAY_MS);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (now().getTime() < due.getTime()) return arm(due);
        // After an overrun, the next occurrence (already missed) runs once, past due; then the schedule resumes from now.
        void fire(due).then((wasPastDue) => arm(schedule(wasPastDue ? now() : due)));
      }, delay);
      timers.add(timer);
    };

    if (binding.runOnStartup === true) {
      void fire(undefined).then(() => arm(schedule(now())));
    } else {
      arm(schedule(now()));
    }
  }

  return {
    stop() {
      stopped = true;
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    },
  };
}
