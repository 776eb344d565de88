import { fixedClock } from '../time/clock';
import { createLicenseService } from './license-service';
import type { LicenseStore } from './license-store';

/** An insert-if-absent store in memory, counting writes. */
function memoryStore(): LicenseStore & { writes: number } {
  let recorded: Date | undefined;
  return {
    writes: 0,
    async trialStart(candidate) {
      if (recorded) return { startedAt: recorded, recorded: false };
      recorded = candidate;
      this.writes += 1;
      return { startedAt: recorded, recorded: true };
    },
  };
}

describe('license service', () => {
  it('counts the trial down from the first recorded start and locks after 14 days', async () => {
    const clock = fixedClock(new Date('2026-03-29T00:00:00Z'));
    const store = memoryStore();
    const license = createLicenseService({ tier: 'trial', store, clock });
    expect(await license.status()).toMatchObject({
      tier: 'trial',
      trialActive: true,
      trialExpiresAt: '2026-04-12T00:00:00.000Z',
      daysRemaining: 14,
      subscriptionLimit: 15,
      itemLimit: 200,
    });
    clock.advance(13.5 * 86_400_000);
    expect((await license.status()).daysRemaining).toBe(1);
    expect(await license.trialExpired()).toBe(false);
    clock.advance(0.5 * 86_400_000);
    expect(await license.trialExpired()).toBe(true);
    expect((await license.status()).daysRemaining).toBe(0);
  });

  it('a restart (a new service on the same store) keeps the original start and announces it once', async () => {
    const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
    const store = memoryStore();
    const started: string[] = [];
    const onTrialStarted = async (at: Date): Promise<void> => {
      started.push(at.toISOString());
    };
    const first = createLicenseService({ tier: 'trial', store, clock, onTrialStarted });
    await Promise.all([first.status(), first.status(), first.trialExpired()]);
    clock.advance(20 * 86_400_000);
    const restarted = createLicenseService({ tier: 'trial', store, clock, onTrialStarted });
    expect(await restarted.trialExpired()).toBe(true);
    expect(store.writes).toBe(1);
    expect(started).toEqual(['2026-03-01T00:00:00.000Z']);
  });

  it('paid tiers never expire and gate by rank', async () => {
    const clock = fixedClock(new Date('2026-03-01T00:00:00Z'));
    const pro = createLicenseService({ tier: 'professional', store: memoryStore(), clock });
    expect(await pro.trialExpired()).toBe(false);
    expect(await pro.status()).toMatchObject({ trialActive: false, trialExpiresAt: null, daysRemaining: null });
    expect(pro.allows('professional')).toBe(true);
    expect(pro.allows('enterprise')).toBe(false);
    expect(createLicenseService({ tier: 'enterprise', store: memoryStore(), clock }).allows('enterprise')).toBe(true);
  });
});
