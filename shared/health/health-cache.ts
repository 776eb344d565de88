import type { Clock } from '../time/clock';
import type { HealthReport, HealthService } from './health-service';

/** Long enough to absorb a flood, short enough for a load balancer or an operator to see an outage at once. */
export const HEALTH_CACHE_MS = 10_000;

/**
 * Answers from the last report for `ttlMs`, and lets concurrent callers share one probe in flight, so each
 * backend is probed at most once per window however many anonymous requests arrive.
 */
export function cachedHealth(service: HealthService, clock: Clock, ttlMs = HEALTH_CACHE_MS): HealthService {
  let last: { at: number; report: Promise<HealthReport> } | undefined;
  return {
    check() {
      const now = clock.now().getTime();
      if (!last || now - last.at >= ttlMs) {
        const entry = { at: now, report: service.check() };
        // A failed probe is not cached: the next call tries again.
        entry.report.catch(() => {
          if (last === entry) last = undefined;
        });
        last = entry;
      }
      return last.report;
    },
  };
}
