import { fixedClock } from '../time/clock';
import { createRateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  it('allows the limit per caller and class, then refuses with the seconds left in the window', () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const limiter = createRateLimiter({ limits: { read: 3, write: 1, expensive: 1 }, clock });
    expect([1, 2, 3].map(() => limiter.take('alice', 'read').allowed)).toEqual([true, true, true]);
    clock.advance(20_000);
    expect(limiter.take('alice', 'read')).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(limiter.take('bob', 'read').allowed).toBe(true);
    expect(limiter.take('alice', 'write').allowed).toBe(true);
    expect(limiter.take('alice', 'write').allowed).toBe(false);
    clock.advance(40_000);
    expect(limiter.take('alice', 'read').allowed).toBe(true);
  });
});
