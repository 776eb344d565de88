import type { Clock } from '../time/clock';
import type { RateLimitClass } from './route-spec';

export type RateLimits = Readonly<Record<RateLimitClass, number>>;

export interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until the caller's window resets (for Retry-After). */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request; `factor` scales the class limit for a caller that stands for several (an address). */
  take(caller: string, limitClass: RateLimitClass, factor?: number): RateDecision;
}

const WINDOW_MS = 60_000;
/** Bounds memory under a flood of distinct callers; expired windows are swept first. */
const MAX_TRACKED = 10_000;

/**
 * Fixed one-minute windows per caller and route class, held in this instance's memory. Per instance on
 * purpose: the limit exists to stop one runaway script or user from starving the app, and an in-memory
 * counter costs nothing per request, where a shared counter in Table Storage would add a write to every
 * call. With N instances a caller can get up to N × the limit, which still bounds abuse; the platform's
 * own front-end throttling sits in front of it.
 */
export function createRateLimiter(deps: { limits: RateLimits; clock: Clock }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(caller, limitClass, factor = 1) {
      const now = deps.clock.now().getTime();
      const key = `${limitClass}|${caller}`;
      let window = windows.get(key);
      if (!window || now - window.start >= WINDOW_MS) {
        if (windows.size >= MAX_TRACKED) {
          for (const [k, w] of windows) if (now - w.start >= WINDOW_MS) windows.delete(k);
          if (windows.size >= MAX_TRACKED) windows.clear();
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      const allowed = window.count <= deps.limits[limitClass] * factor;
      return { allowed, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) };
    },
  };
}
