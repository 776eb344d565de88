import { fixedClock } from '../time/clock';
import { cachedHealth, HEALTH_CACHE_MS } from './health-cache';
import type { HealthReport, HealthService } from './health-service';

const healthy: HealthReport = {
  status: 'healthy',
  checks: { tableStorage: 'reachable', blobStorage: 'reachable', serviceBus: 'reachable' },
};

function countingService(result: () => Promise<HealthReport> = async () => healthy) {
  const service = { probes: 0, check: () => ((service.probes += 1), result()) };
  return service satisfies HealthService;
}

describe('health cache', () => {
  it('probes the backends once per window however many calls arrive, concurrent ones included', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const backend = countingService();
    const health = cachedHealth(backend, clock);
    await Promise.all(Array.from({ length: 50 }, () => health.check()));
    clock.advance(HEALTH_CACHE_MS - 1);
    expect(await health.check()).toEqual(healthy);
    expect(backend.probes).toBe(1);
    clock.advance(1);
    await health.check();
    expect(backend.probes).toBe(2);
  });

  it('does not keep a failed probe', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    let fail = true;
    const backend = countingService(async () => {
      if (fail) throw new Error('probe failed');
      return healthy;
    });
    const health = cachedHealth(backend, clock);
    await expect(health.check()).rejects.toThrow('probe failed');
    fail = false;
    expect(await health.check()).toEqual(healthy);
    expect(backend.probes).toBe(2);
  });
});
