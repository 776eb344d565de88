import { createAuditStore } from '../../shared/audit/audit-store';
import type { AuditEntry } from '../../shared/audit/audit-types';
import { fixedClock } from '../../shared/time/clock';
import { GENESIS_HASH, canonicalJson, hashEntry, type JsonValue } from '../../shared/audit/verify/audit-canonical';
import { startAuditFixture, uniqueName, type AuditFixture } from './audit-fixture';

jest.setTimeout(120_000);

let fixture: AuditFixture;
beforeAll(async () => {
  fixture = await startAuditFixture();
});
afterAll(async () => {
  await fixture.stop();
});

const system = { type: 'system' as const };

/** Reads the whole chain through the public list API, paging until the token runs out. */
async function readChain(service: ReturnType<AuditFixture['service']>): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await service.list({ limit: 37, ...(continuationToken ? { continuationToken } : {}) });
    entries.push(...page.entries);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return entries;
}

/** Asserts seq 1..n with no gap, each entry linked to the one before and hashing to its stored hash. */
function expectLinearChain(entries: AuditEntry[], length: number): void {
  expect(entries.map((e) => e.seq)).toEqual(Array.from({ length }, (_, i) => i + 1));
  entries.forEach((entry, i) => {
    expect(entry.prevHash).toBe(i === 0 ? GENESIS_HASH : entries[i - 1]?.hash);
    const recomputed = hashEntry({
      ...entry,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorName: entry.actor.name,
      details: entry.details as { [key: string]: JsonValue },
    });
    expect(recomputed).toBe(entry.hash);
  });
}

describe('audit chain on Azurite', () => {
  it('N concurrent writers through separate TableClients produce one linear chain with no gap and no fork', async () => {
    const table = uniqueName('auditconc');
    const container = uniqueName('exports');
    const writers = 8;
    const perWriter = 25;
    const services = Array.from({ length: writers }, () => fixture.service({ table, container }));
    await Promise.all(
      services.map(async (service, w) => {
        for (let i = 0; i < perWriter; i++) {
          await service.append({
            actor: system,
            action: 'discovery.vault.error',
            outcome: 'failure',
            correlationId: `w${w}-${i}`,
          });
        }
      }),
    );
    const reader = fixture.service({ table, container });
    const entries = await readChain(reader);
    expectLinearChain(entries, writers * perWriter);
    // Every append landed exactly once.
    expect(new Set(entries.map((e) => e.correlationId)).size).toBe(writers * perWriter);
    const stats = await reader.stats();
    expect(stats.total).toBe(writers * perWriter);
    expect(stats.byAction['discovery.vault.error']).toBe(writers * perWriter);
    expect(stats.byOutcome.failure).toBe(writers * perWriter);
    expect(stats.headHash).toBe(entries.at(-1)?.hash);
  });

  it('a burst of appends from one process (200 at once, as a scan with many unreadable vaults makes) all land', async () => {
    const table = uniqueName('auditburst');
    const service = fixture.service({ table, container: uniqueName('exports') });
    const burst = 200;
    const appended = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        service.append({ actor: system, action: 'discovery.vault.error', outcome: 'failure', correlationId: `b${i}` }),
      ),
    );
    expect(appended).toHaveLength(burst);
    const entries = await readChain(service);
    expectLinearChain(entries, burst);
    expect(new Set(entries.map((e) => e.correlationId)).size).toBe(burst);
  });

  it('recovers without a gap when a writer crashed between writing its entry and moving the head', async () => {
    const table = uniqueName('auditcrash');
    const service = fixture.service({ table, container: uniqueName('exports') });
    await service.append({ actor: system, action: 'discovery.scan.started', outcome: 'success' });
    const second = await service.append({ actor: system, action: 'discovery.scan.completed', outcome: 'success' });

    // What a crashed writer leaves behind: entry 3 stored, head still at 2.
    const store = createAuditStore(fixture.tableClient(table));
    const orphan = {
      seq: 3,
      timestamp: '2026-11-22T10:00:01.000Z',
      actorType: 'user',
      actorId: 'u-1',
      actorName: 'Ada',
      action: 'settings.updated',
      target: 'settings/general',
      outcome: 'success',
      details: { setting: 'timezone', old: 'UTC', new: 'CET' },
      correlationId: 'crashed',
      prevHash: second.hash,
    };
    expect(
      await store.insertEntry({ ...orphan, details: canonicalJson(orphan.details), hash: hashEntry(orphan) }),
    ).toBe(true);
    expect((await store.readHead())?.seq).toBe(2);

    const next = await service.append({ actor: system, action: 'discovery.scan.started', outcome: 'success' });
    expect(next.seq).toBe(4);
    expectLinearChain(await readChain(service), 4);
    const stats = await service.stats();
    expect(stats.total).toBe(4);
    expect(stats.byAction['settings.updated']).toBe(1);
  });

  it('stats adopt an orphaned entry too, and count today by UTC day', async () => {
    const table = uniqueName('auditstats');
    const clock = fixedClock(new Date('2026-11-21T23:59:00.000Z'));
    const service = fixture.service({ table, container: uniqueName('exports'), clock });
    await service.append({ actor: system, action: 'notification.sent', outcome: 'success' });
    clock.set(new Date('2026-11-22T00:01:00.000Z'));
    await service.append({ actor: system, action: 'notification.failed', outcome: 'failure' });
    await service.append({ actor: system, action: 'notification.sent', outcome: 'success' });
    expect(await service.stats()).toMatchObject({
      total: 3,
      today: 2,
      byOutcome: { success: 2, failure: 1, partial: 0, denied: 0 },
    });
    clock.set(new Date('2026-11-23T08:00:00.000Z'));
    expect((await service.stats()).today).toBe(0);
  });

  it('lists with filters and pages with a continuation token', async () => {
    const table = uniqueName('auditlist');
    const clock = fixedClock(new Date('2026-11-22T10:00:00.000Z'));
    const service = fixture.service({ table, container: uniqueName('exports'), clock });
    const user = { type: 'user' as const, id: 'u-42', name: 'Grace' };
    for (let i = 0; i < 12; i++) {
      clock.advance(60_000);
      await service.append({
        actor: i % 3 === 0 ? user : system,
        action: i % 2 === 0 ? 'discovery.scan.started' : 'settings.updated',
        target: i % 4 === 0 ? 'vault:kv-prod' : 'settings/general',
        outcome: i === 5 ? 'failure' : 'success',
      });
    }
    const seqs = async (query: Parameters<typeof service.list>[0]): Promise<number[]> =>
      (await service.list({ ...query, limit: 200 })).entries.map((e) => e.seq);
    expect(await seqs({ action: 'discovery.scan' })).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await seqs({ action: 'discovery' })).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await seqs({ action: 'discovery.sca' })).toEqual([]);
    expect(await seqs({ action: 'settings.updated' })).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await seqs({ actor: 'u-42' })).toEqual([1, 4, 7, 10]);
    expect(await seqs({ target: 'vault:kv-prod' })).toEqual([1, 5, 9]);
    expect(await seqs({ outcome: 'failure' })).toEqual([6]);
    expect(await seqs({ from: '2026-11-22T10:03:00Z', to: '2026-11-22T10:06:00+00:00' })).toEqual([3, 4, 5]);

    const first = await service.list({ limit: 5 });
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(first.continuationToken).toBeDefined();
    const second = await service.list({ limit: 5, continuationToken: first.continuationToken });
    expect(second.entries.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10]);
    await expect(service.list({ continuationToken: 'not-a-token' })).rejects.toThrow('invalid continuation token');
    await expect(service.list({ action: 'bad action!' })).rejects.toThrow('invalid audit query');
  });
});
