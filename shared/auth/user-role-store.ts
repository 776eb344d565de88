import type { TableClient } from '@azure/data-tables';
import { isRole, type Role } from './auth-roles';
import { storeCall, storeGet } from '../runtime/store-errors';

export const USER_ROLES_TABLE = 'KeywardUserRoles';
const PARTITION = 'user';

export interface UserRoleRecord {
  /** Entra object id or lower-cased email. */
  readonly id: string;
  readonly role: Role;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

interface UserRoleEntity {
  partitionKey: string;
  rowKey: string;
  role: string;
  updatedAt: string;
  updatedBy: string;
}

export interface UserRoleStore {
  get(id: string): Promise<UserRoleRecord | null>;
  list(): Promise<UserRoleRecord[]>;
  put(record: UserRoleRecord): Promise<void>;
  remove(id: string): Promise<boolean>;
}

const toRecord = (e: UserRoleEntity): UserRoleRecord | null =>
  isRole(e.role) ? { id: e.rowKey, role: e.role, updatedAt: e.updatedAt, updatedBy: e.updatedBy } : null;

export function createUserRoleStore(table: () => Promise<TableClient>): UserRoleStore {
  return {
    async get(id) {
      const client = await table();
      const entity = await storeGet('userRoles.get', () => client.getEntity<UserRoleEntity>(PARTITION, id));
      return entity ? toRecord(entity) : null;
    },
    async list() {
      const client = await table();
      return storeCall('userRoles.list', async () => {
        const records: UserRoleRecord[] = [];
        const rows = client.listEntities<UserRoleEntity>({
          queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
        });
        for await (const entity of rows) {
          const record = toRecord(entity);
          if (record) records.push(record);
        }
        return records;
      });
    },
    async put(r) {
      const client = await table();
      const entity: UserRoleEntity = {
        partitionKey: PARTITION,
        rowKey: r.id,
        role: r.role,
        updatedAt: r.updatedAt,
        updatedBy: r.updatedBy,
      };
      await storeCall('userRoles.put', () => client.upsertEntity(entity, 'Replace'));
    },
    async remove(id) {
      const client = await table();
      return (await storeGet('userRoles.remove', () => client.deleteEntity(PARTITION, id))) !== null;
    },
  };
}
