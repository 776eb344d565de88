import type { TableClient } from '@azure/data-tables';
import type { Clock } from '../time/clock';
import { storeCall, storeGet } from '../runtime/store-errors';
import type { SettingsSource } from './settings-resolver';

export const SETTINGS_TABLE = 'KeywardSettings';
const PARTITION = 'setting';

interface SettingEntity {
  partitionKey: string;
  rowKey: string;
  value: string;
  updatedAt: string;
  updatedBy: string;
}

/** Settings overrides in Table Storage: one row per key, the value as JSON text. */
export interface SettingsStore extends SettingsSource {
  set(key: string, value: unknown, updatedBy: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export function createSettingsStore(deps: { table: () => Promise<TableClient>; clock: Clock }): SettingsStore {
  return {
    async get(key) {
      const table = await deps.table();
      const entity = await storeGet('settings.get', () => table.getEntity<SettingEntity>(PARTITION, key));
      return entity?.value ?? null;
    },
    async set(key, value, updatedBy) {
      const table = await deps.table();
      const entity: SettingEntity = {
        partitionKey: PARTITION,
        rowKey: key,
        value: JSON.stringify(value),
        updatedAt: deps.clock.now().toISOString(),
        updatedBy,
      };
      await storeCall('settings.set', () => table.upsertEntity(entity, 'Replace'));
    },
    async remove(key) {
      const table = await deps.table();
      await storeGet('settings.remove', () => table.deleteEntity(PARTITION, key));
    },
  };
}
