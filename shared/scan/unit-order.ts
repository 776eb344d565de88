import { groupBy } from '../runtime/group-by';
import type { ScanUnit, VaultUnit } from './scan-types';

/**
 * The order units are enqueued in, which is the order workers pick them up. Vaults are dealt round-robin across
 * subscriptions: each subscription has its own request budget, so the vaults in flight at any moment should spread
 * over all of them — enqueued subscription by subscription, every worker would wait on one subscription's budget
 * while the others sat idle. The directory unit (Graph, its own budget) goes first.
 */
export function unitOrder(units: readonly ScanUnit[]): ScanUnit[] {
  const directory = units.filter((u) => u.kind === 'directory');
  const vaults = units.filter((u): u is VaultUnit => u.kind === 'vault');
  const lists = [...groupBy(vaults, (u) => u.subscriptionId).values()];
  const rounds = Math.max(0, ...lists.map((list) => list.length));
  const dealt: ScanUnit[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const list of lists) {
      const unit = list[round];
      if (unit) dealt.push(unit);
    }
  }
  return [...directory, ...dealt];
}
