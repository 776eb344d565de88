import type { TransactionAction } from '@azure/data-tables';
import { groupBy } from './group-by';
import { TRANSACTION_LIMIT, transactionsOf } from './table-transactions';

const upsert = (partitionKey: string, rowKey: string): TransactionAction => ['upsert', { partitionKey, rowKey }];

describe('groupBy', () => {
  it('keeps every item once, in order within a group, keys in first-seen order', () => {
    const groups = groupBy([3, 10, 4, 13, 7, 20], (n) => n % 3);
    expect([...groups.entries()]).toEqual([
      [0, [3]],
      [1, [10, 4, 13, 7]],
      [2, [20]],
    ]);
  });
});

describe('transactionsOf', () => {
  it('puts each action in a transaction of its own partition, at most 100 per transaction, none lost', () => {
    const actions = [
      ...Array.from({ length: 250 }, (_, i) => upsert('a', `r${i}`)),
      upsert('b', 'x'),
      ...Array.from({ length: 100 }, (_, i) => upsert('c', `r${i}`)),
      upsert('b', 'y'),
    ];
    const batches = transactionsOf(actions);
    expect(batches.map((b) => [b[0]?.[1].partitionKey, b.length])).toEqual([
      ['a', 100],
      ['a', 100],
      ['a', 50],
      ['b', 2],
      ['c', 100],
    ]);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(TRANSACTION_LIMIT);
      expect(new Set(batch.map((a) => a[1].partitionKey)).size).toBe(1);
    }
    expect(batches.flat()).toHaveLength(actions.length);
    expect(new Set(batches.flat())).toEqual(new Set(actions));
    // Within a partition the actions keep their order (an upsert and a later delete of the same row stay so).
    expect(batches[3]?.map((a) => a[1].rowKey)).toEqual(['x', 'y']);
  });

  it('gives no transaction for no actions', () => {
    expect(transactionsOf([])).toEqual([]);
  });
});
