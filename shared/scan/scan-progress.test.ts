import {
  addUnit,
  combineProgress,
  emptyProgress,
  markPlanned,
  readyToClose,
  type ProgressState,
  type UnitReport,
} from './scan-progress';

describe('scan progress', () => {
  const ok: UnitReport = { outcome: 'ok', items: 5 };

  it('is ready only when the plan is done and every unit reported, in either order', () => {
    let unitsFirst: ProgressState = emptyProgress;
    unitsFirst = addUnit(addUnit(unitsFirst, ok), { outcome: 'forbidden', items: 0 });
    expect(readyToClose(unitsFirst)).toBe(false);
    expect(readyToClose(markPlanned(unitsFirst, 2))).toBe(true);

    let planFirst = markPlanned(emptyProgress, 2);
    planFirst = addUnit(planFirst, ok);
    expect(readyToClose(planFirst)).toBe(false);
    expect(readyToClose(addUnit(planFirst, ok))).toBe(true);
  });

  it('fixes the unit count once: a second plan changes nothing', () => {
    const planned = markPlanned(emptyProgress, 3);
    expect(markPlanned(planned, 7)).toBe(planned);
  });

  it('counts outcomes and items per report', () => {
    const s = addUnit(addUnit(emptyProgress, ok), { outcome: 'firewalled', items: 2 });
    expect(s.outcomes).toMatchObject({ ok: 1, firewalled: 1 });
    expect(s.itemsFound).toBe(7);
  });
});

describe('combineProgress', () => {
  it('sums the shards under the plan row', () => {
    const shardA = addUnit(emptyProgress, { outcome: 'ok', items: 3 });
    const shardB = addUnit(addUnit(emptyProgress, { outcome: 'failed', items: 0 }), { outcome: 'ok', items: 2 });
    const combined = combineProgress(markPlanned(emptyProgress, 3), [shardA, shardB, emptyProgress]);
    expect(combined).toEqual({
      planned: true,
      unitsTotal: 3,
      unitsDone: 3,
      itemsFound: 5,
      outcomes: { ok: 2, forbidden: 0, firewalled: 0, throttled: 0, failed: 1 },
    });
    expect(readyToClose(combined)).toBe(true);
  });
});
