import type { TableClient } from '@azure/data-tables';
import { isConflict, StoreError, storeCall } from '../runtime/store-errors';
import type { Clock } from '../time/clock';
import { tierLimits, type Tier } from './license-tiers';

/** Counted allowances of a tier, named on the routes that spend them (`RouteSpec.quota`). */
export const quotaNames = ['manualRotations'] as const;
export type QuotaName = (typeof quotaNames)[number];

/** A quota's state this period: `limit` null means unlimited. */
export interface QuotaUsage {
  readonly limit: number | null;
  readonly used: number;
  /** Start of the next period (the first of next month, 00:00 UTC). */
  readonly resetsAt: string;
}

export interface QuotaLedger {
  usage(name: QuotaName): Promise<QuotaUsage>;
  /**
   * Spends one unit for `spentBy` (e.g. the rotation id); false when none is left. Each unit is its own
   * insert-if-absent row, so two callers racing for the last one cannot both get it.
   */
  spend(name: QuotaName, spentBy: string): Promise<boolean>;
}

const limitOf: Record<QuotaName, (tier: Tier) => number | null> = {
  manualRotations: (tier) => tierLimits[tier].manualRotationsPerMonth,
};

/** Quota rows live in the licence table, one partition per quota, tier and month. */
export function createQuotaLedger(table: () => Promise<TableClient>, tier: Tier, clock: Clock): QuotaLedger {
  const period = () => {
    const now = clock.now();
    const month = now.toISOString().slice(0, 7);
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    return { month, resetsAt: next.toISOString() };
  };
  const partition = (name: QuotaName, month: string) => `quota-${name}-${tier}-${month}`;
  const used = async (name: QuotaName, month: string): Promise<number> => {
    const client = await table();
    return storeCall('license.quotaUsage', async () => {
      let count = 0;
      const rows = client.listEntities({
        queryOptions: { filter: `PartitionKey eq '${partition(name, month)}'`, select: ['RowKey'] },
      });
      for await (const _row of rows) count += 1;
      return count;
    });
  };
  return {
    async usage(name) {
      const { month, resetsAt } = period();
      const limit = limitOf[name](tier);
      return { limit, used: await used(name, month), resetsAt };
    },
    async spend(name, spentBy) {
      const limit = limitOf[name](tier);
      if (limit === null) return true;
      const { month } = period();
      const client = await table();
      for (let slot = 1; slot <= limit; slot += 1) {
        try {
          await client.createEntity({
            partitionKey: partition(name, month),
            rowKey: String(slot).padStart(4, '0'),
            spentBy,
            spentAt: clock.now().toISOString(),
          });
          return true;
        } catch (error) {
          if (!isConflict(error)) throw new StoreError('license.quotaSpend', undefined);
        }
      }
      return false;
    },
  };
}
