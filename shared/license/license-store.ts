import type { TableClient } from '@azure/data-tables';
import { isConflict, storeCall, StoreError } from '../runtime/store-errors';

export const LICENSE_TABLE = 'KeywardLicense';

interface TrialEntity {
  partitionKey: string;
  rowKey: string;
  startedAt: string;
}

export interface LicenseStore {
  /**
   * Records `candidate` as the trial start unless one is already recorded, and returns the recorded one.
   * Insert-if-absent: a restart, a second instance or a redeployed app cannot move the start. `recorded` is
   * true only for the one call whose insert created the record (the trial-start event happens exactly once).
   */
  trialStart(candidate: Date): Promise<{ startedAt: Date; recorded: boolean }>;
}

export function createLicenseStore(table: () => Promise<TableClient>): LicenseStore {
  return {
    async trialStart(candidate) {
      const client = await table();
      const entity: TrialEntity = { partitionKey: 'license', rowKey: 'trial', startedAt: candidate.toISOString() };
      try {
        await client.createEntity(entity);
        return { startedAt: candidate, recorded: true };
      } catch (error) {
        if (!isConflict(error)) throw new StoreError('license.trialStart', undefined);
      }
      const existing = await storeCall('license.trialStart', () => client.getEntity<TrialEntity>('license', 'trial'));
      return { startedAt: new Date(existing.startedAt), recorded: false };
    },
  };
}
