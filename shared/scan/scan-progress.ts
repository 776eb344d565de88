/**
 * The arithmetic of a scan's progress, kept pure so the close-once rule is tested on its own. A scan is a set of
 * units (one per vault, one for the app registrations). The plan fixes how many there are; each unit reports once.
 * The scan is ready to close when the plan is done and every unit has reported, whichever happens last.
 */
export const unitOutcomes = ['ok', 'forbidden', 'firewalled', 'throttled', 'failed'] as const;
export type UnitOutcome = (typeof unitOutcomes)[number];

export interface ProgressState {
  readonly planned: boolean;
  readonly unitsTotal: number;
  readonly unitsDone: number;
  readonly itemsFound: number;
  readonly outcomes: Readonly<Record<UnitOutcome, number>>;
}

export const emptyProgress: ProgressState = {
  planned: false,
  unitsTotal: 0,
  unitsDone: 0,
  itemsFound: 0,
  outcomes: { ok: 0, forbidden: 0, firewalled: 0, throttled: 0, failed: 0 },
};

export interface UnitReport {
  readonly outcome: UnitOutcome;
  readonly items: number;
}

/** Counts one unit's report. The store calls it only when the unit's done marker was created in the same write. */
export function addUnit(state: ProgressState, report: UnitReport): ProgressState {
  return {
    ...state,
    unitsDone: state.unitsDone + 1,
    itemsFound: state.itemsFound + report.items,
    outcomes: { ...state.outcomes, [report.outcome]: state.outcomes[report.outcome] + 1 },
  };
}

/** Records the plan's unit count once; a second plan (a redelivered plan message) changes nothing. */
export function markPlanned(state: ProgressState, unitsTotal: number): ProgressState {
  return state.planned ? state : { ...state, planned: true, unitsTotal };
}

export function readyToClose(state: ProgressState): boolean {
  return state.planned && state.unitsDone >= state.unitsTotal;
}

/** The scan's progress from the plan's row and the counter shards (each shard counts a subset of the units). */
export function combineProgress(plan: ProgressState, shards: readonly ProgressState[]): ProgressState {
  const outcomes = { ...emptyProgress.outcomes };
  let unitsDone = 0;
  let itemsFound = 0;
  for (const s of shards) {
    unitsDone += s.unitsDone;
    itemsFound += s.itemsFound;
    for (const o of unitOutcomes) outcomes[o] += s.outcomes[o] ?? 0;
  }
  return { planned: plan.planned, unitsTotal: plan.unitsTotal, unitsDone, itemsFound, outcomes };
}
