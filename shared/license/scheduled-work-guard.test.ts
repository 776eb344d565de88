import type { AuditAppendInput } from '../audit/audit-types';
import { fixedClock } from '../time/clock';
import type { LicenseLedger } from './license-ledger';
import { createLicenseService } from './license-service';
import type { LicenseStore } from './license-store';
import { createScheduledWorkGuard } from './scheduled-work-guard';

const DAY = 86_400_000;

/** One deployment's licence table, shared by every instance: insert-if-absent rows in memory. */
function licenceTable() {
  const rows = new Map<string, string>();
  const insert = (key: string, value: string): boolean => {
    if (rows.has(key)) return false;
    rows.set(key, value);
    return true;
  };
  const store: LicenseStore = {
    async trialStart(candidate) {
      const recorded = insert('trial', candidate.toISOString());
      return { startedAt: new Date(rows.get('trial') ?? ''), recorded };
    },
  };
  const ledger: LicenseLedger = { recordTrialExpired: async (at) => insert('trialExpired', at.toISOString()) };
  return { rows, store, ledger };
}

function instance(table: ReturnType<typeof licenceTable>, clock: ReturnType<typeof fixedClock>, audit: string[]) {
  const license = createLicenseService({ tier: 'trial', store: table.store, clock });
  return createScheduledWorkGuard({
    license,
    ledger: table.ledger,
    clock,
    audit: { append: async (entry: AuditAppendInput) => audit.push(entry.action) },
    log: { warn: () => undefined },
  });
}

describe('scheduled work guard', () => {
  it('starts the trial on the first run and allows work for 14 days', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const table = licenceTable();
    const audit: string[] = [];
    const guard = instance(table, clock, audit);
    expect(await guard.allows()).toBe(true);
    expect(table.rows.get('trial')).toBe('2026-05-01T00:00:00.000Z');
    clock.advance(14 * DAY - 1);
    expect(await guard.allows()).toBe(true);
    expect(audit).toEqual([]);
  });

  it('stops work after the trial and records license.trialExpired once across instances and calls', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const table = licenceTable();
    const audit: string[] = [];
    const first = instance(table, clock, audit);
    await first.allows();
    clock.advance(14 * DAY);
    const second = instance(table, clock, audit);
    const answers = await Promise.all([first.allows(), second.allows(), first.allows(), second.allows()]);
    expect(answers).toEqual([false, false, false, false]);
    expect(await instance(table, clock, audit).allows()).toBe(false);
    expect(audit).toEqual(['license.trialExpired']);
    expect(table.rows.get('trialExpired')).toBe('2026-05-15T00:00:00.000Z');
  });

  it('never stops a paid tier', async () => {
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const table = licenceTable();
    const license = createLicenseService({ tier: 'professional', store: table.store, clock });
    const audit: string[] = [];
    const guard = createScheduledWorkGuard({
      license,
      ledger: table.ledger,
      clock,
      audit: { append: async (entry: AuditAppendInput) => audit.push(entry.action) },
      log: { warn: () => undefined },
    });
    clock.advance(400 * DAY);
    expect(await guard.allows()).toBe(true);
    expect(audit).toEqual([]);
  });
});
