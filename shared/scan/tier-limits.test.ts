import { itemsOverLimit, selectSubscriptions } from './tier-limits';

describe('tier limits', () => {
  const subs = ['c', 'a', 'd', 'b'].map((id) => ({ subscriptionId: id, displayName: id.toUpperCase() }));

  it('keeps the first subscriptions by id, whatever order ARM listed them in, and reports the rest', () => {
    const picked = selectSubscriptions(subs, 2);
    expect(picked.included.map((s) => s.subscriptionId)).toEqual(['a', 'b']);
    expect(picked.skipped.map((s) => s.subscriptionId)).toEqual(['c', 'd']);
    expect(selectSubscriptions([...subs].reverse(), 2)).toEqual(picked);
    expect(selectSubscriptions(subs, null).skipped).toEqual([]);
  });

  it('leaves out the same items on every run: vaults first (by key), app registrations last', () => {
    const items = [
      { id: 'entra_t~appsecret_1', partition: 'entra_t', row: 'appsecret_1' },
      { id: 's2_kv~secret_a', partition: 's2_kv', row: 'secret_a' },
      { id: 's1_kv~secret_b', partition: 's1_kv', row: 'secret_b' },
      { id: 's1_kv~key_a', partition: 's1_kv', row: 'key_a' },
    ];
    expect([...itemsOverLimit(items, 2)].sort()).toEqual(['entra_t~appsecret_1', 's2_kv~secret_a']);
    expect(itemsOverLimit([...items].reverse(), 2)).toEqual(itemsOverLimit(items, 2));
    expect(itemsOverLimit(items, 10).size).toBe(0);
  });
});
