import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { keyOf } from '../../shared/notify/notify-config-store';
import type { ReminderState } from '../../shared/notify/reminder-engine';
import { createReminderStateStore } from '../../shared/notify/reminder-state-store';
import { event } from './notify-fixture';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite.stop());

const state = (name: string): ReminderState => ({
  item: event(name, 5).item,
  level: 'critical',
  enteredAt: '2026-11-20T00:00:00.000Z',
  lastNotifiedAt: '2026-11-20T08:00:00.000Z',
  levels: ['critical'],
});

async function table(name: string): Promise<TableClient> {
  const client = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  await client.createTable();
  return client;
}

async function rows(client: TableClient): Promise<{ partitionKey: string; rowKey: string }[]> {
  const out: { partitionKey: string; rowKey: string }[] = [];
  for await (const e of client.listEntities()) out.push({ partitionKey: e.partitionKey ?? '', rowKey: e.rowKey ?? '' });
  return out;
}

/** The reminder engine's memory per item, against Azurite through the real SDK. */
describe('reminder state store', () => {
  it('keeps one row per item, spread over partitions, and reads back exactly what it wrote', async () => {
    const client = await table('reminderspread');
    const store = createReminderStateStore({ table: async () => client });
    const states = Array.from({ length: 250 }, (_, i) => state(`s-${i}`));
    await store.load();
    await store.apply(new Map(states.map((s) => [s.item.id, s])));

    const stored = await rows(client);
    expect(stored).toHaveLength(250);
    expect(new Set(stored.map((r) => r.partitionKey)).size).toBeGreaterThan(10);
    const loaded = await createReminderStateStore({ table: async () => client }).load();
    expect(loaded).toEqual(new Map(states.map((s) => [s.item.id, s])));

    // A null deletes; deleting a row already gone is not an error.
    const gone = states[0]?.item.id ?? '';
    await store.apply(
      new Map([
        [gone, null],
        ['never-stored', null],
      ]),
    );
    expect(await rows(client)).toHaveLength(249);
    expect((await store.load()).has(gone)).toBe(false);
  });

  it('moves rows of the single partition older versions wrote into their buckets, losing none', async () => {
    const client = await table('reminderlegacy');
    const legacy = Array.from({ length: 30 }, (_, i) => state(`old-${i}`));
    await client.submitTransaction(
      legacy.map((s) => ['upsert', { partitionKey: 'item', rowKey: keyOf(s.item.id), json: JSON.stringify(s) }]),
    );
    const store = createReminderStateStore({ table: async () => client });
    const loaded = await store.load();
    expect(loaded).toEqual(new Map(legacy.map((s) => [s.item.id, s])));

    // The engine changes two items and drops one; the rest move unchanged.
    const changed = { ...legacy[1], level: 'expired' } as ReminderState;
    await store.apply(
      new Map<string, ReminderState | null>([
        [legacy[1]?.item.id ?? '', changed],
        [legacy[2]?.item.id ?? '', null],
      ]),
    );
    const stored = await rows(client);
    expect(stored.filter((r) => r.partitionKey === 'item')).toEqual([]);
    expect(stored).toHaveLength(29);
    const after = await createReminderStateStore({ table: async () => client }).load();
    expect(after.get(legacy[1]?.item.id ?? '')).toEqual(changed);
    expect(after.has(legacy[2]?.item.id ?? '')).toBe(false);
    expect(after.get(legacy[0]?.item.id ?? '')).toEqual(legacy[0]);
  });
});
