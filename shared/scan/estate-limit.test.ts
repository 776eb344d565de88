import { selectForEstate } from './tier-limits';

const subs = (...ids: string[]) => ids.map((id) => ({ subscriptionId: id, displayName: id.toUpperCase() }));
const ids = (list: { subscriptionId: string }[]) => list.map((s) => s.subscriptionId);

describe('the subscription limit on the estate', () => {
  it('admits new subscriptions by id only while the licence has room', () => {
    const first = selectForEstate(subs('d', 'a'), 3, new Set());
    expect([ids(first.included), ids(first.skipped), ids(first.newlyGranted)]).toEqual([['a', 'd'], [], ['a', 'd']]);
    const second = selectForEstate(subs('c', 'b', 'e'), 3, new Set(['a', 'd']));
    expect([ids(second.included), ids(second.skipped), ids(second.newlyGranted)]).toEqual([['b'], ['c', 'e'], ['b']]);
  });

  it('keeps granted subscriptions whatever the filter, matching ids case-insensitively', () => {
    const granted = new Set(['a', 'b', 'd']);
    const again = selectForEstate(subs('E', 'D', 'C'), 3, granted);
    expect([ids(again.included), ids(again.skipped), ids(again.newlyGranted)]).toEqual([['D'], ['C', 'E'], []]);
  });

  it('grants nothing when the tier is unlimited', () => {
    const all = selectForEstate(subs('b', 'a'), null, new Set());
    expect([ids(all.included), all.newlyGranted]).toEqual([['a', 'b'], []]);
  });
});
