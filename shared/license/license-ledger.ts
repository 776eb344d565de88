import type { TableClient } from '@azure/data-tables';
import { isConflict, StoreError } from '../runtime/store-errors';
import type { Tier } from './license-tiers';

/**
 * Licence facts that must hold across restarts and instances, in the licence table beside the trial start. Each is
 * an insert-if-absent row, so the first writer wins and a retry changes nothing.
 */
export interface LicenseLedger {
  /** Records that the trial expired; true only for the one call whose insert recorded it. */
  recordTrialExpired(at: Date): Promise<boolean>;
}

export function createLicenseLedger(table: () => Promise<TableClient>): LicenseLedger {
  return {
    async recordTrialExpired(at) {
      const client = await table();
      try {
        await client.createEntity({ partitionKey: 'license', rowKey: 'trialExpired', recordedAt: at.toISOString() });
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        throw new StoreError('license.recordTrialExpired', undefined);
      }
    },
  };
}

/**
 * The subscriptions a licence has ever let a scan include. The tier's subscription limit counts these, not the
 * subscriptions of one scan: otherwise a trial could cover an estate of any size, 15 subscriptions per filtered scan.
 * Kept per tier, so a new plan's limit counts from its own start.
 */
export interface SubscriptionGrants {
  granted(): Promise<Set<string>>;
  grant(subscriptionIds: readonly string[]): Promise<void>;
}

export function createSubscriptionGrants(table: () => Promise<TableClient>, tier: Tier): SubscriptionGrants {
  const partitionKey = `subscriptions-${tier}`;
  return {
    async granted() {
      const client = await table();
      const ids = new Set<string>();
      try {
        const rows = client.listEntities<{ rowKey: string }>({
          queryOptions: { filter: `PartitionKey eq '${partitionKey}'`, select: ['RowKey'] },
        });
        for await (const row of rows) ids.add(row.rowKey);
      } catch {
        throw new StoreError('license.subscriptionGrants', undefined);
      }
      return ids;
    },
    async grant(subscriptionIds) {
      const client = await table();
      for (const rowKey of subscriptionIds) {
        try {
          await client.createEntity({ partitionKey, rowKey: rowKey.toLowerCase() });
        } catch (error) {
          if (!isConflict(error)) throw new StoreError('license.grantSubscription', undefined);
        }
      }
    },
  };
}
