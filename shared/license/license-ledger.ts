import type { TableClient } from '@azure/data-tables';
import { isConflict, StoreError } from '../runtime/store-errors';

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
