import type { TableClient, TransactionAction } from '@azure/data-tables';
import { isRole, type Role } from './auth-roles';
import { StoreError, storeCall, storeGet } from '../runtime/store-errors';

export const USER_ROLES_TABLE = 'KeywardUserRoles';
const PARTITION = 'user';
/** Which principal each e-mail of KEYWARD_ADMINS was resolved to at its first sign-in. */
const BOOTSTRAP_PARTITION = 'bootstrap';
/** Whether each user's token carried the Entra admin app role when they were last seen. */
const APP_ROLE_PARTITION = 'appRole';

/** A role assignment: bound to an Entra object id and tenant, or a pending invitation by e-mail. */
export interface UserRoleRecord {
  /** Entra object id (bound) or lower-cased e-mail (a pending invitation). */
  readonly id: string;
  readonly role: Role;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** The tenant of a bound assignment; absent on invitations (and on object-id rows written before tenants were kept). */
  readonly tenantId?: string;
}

/** An Entra user as roles bind to them: object id and tenant id, both lower-cased. */
export interface RoleSubject {
  readonly objectId: string;
  readonly tenantId: string;
}

// A type, not an interface: transactions take entities as indexable records.
type UserRoleEntity = {
  partitionKey: string;
  rowKey: string;
  role: string;
  updatedAt: string;
  updatedBy: string;
  tenantId?: string;
  /** On a bound row: the e-mail of the invitation it came from, kept for the record. */
  invitedAs?: string;
  /** On an invitation: the object id that claimed it (the row is deleted right after; until then it is ignored). */
  claimedBy?: string;
};

interface BootstrapEntity {
  partitionKey: string;
  rowKey: string;
  objectId: string;
  tenantId: string;
}

/**
 * Admins name an assignment by object id or by the e-mail they invited: `get`, `list`, `put` and `remove`
 * find an invitation that was claimed by that e-mail too (the bound row keeps it as `invitedAs`), so the API
 * keeps working by the name an admin used. Sign-in never matches by e-mail: it uses `getBound` and
 * `claimInvitation`.
 */
export interface UserRoleStore {
  get(id: string): Promise<UserRoleRecord | null>;
  list(): Promise<UserRoleRecord[]>;
  put(record: UserRoleRecord): Promise<void>;
  remove(id: string): Promise<boolean>;
  /** The assignment of an object id (a point read; never an invitation). */
  getBound(objectId: string): Promise<UserRoleRecord | null>;
  /**
   * Turns the invitation for `email` into an assignment of `subject`'s object id, atomically (one entity-group
   * transaction, conditional on the invitation's ETag): of two principals with that e-mail signing in at once,
   * one gets it. The later of the invitation and an existing assignment of the object id wins. False when
   * there was no invitation to claim.
   */
  claimInvitation(email: string, subject: RoleSubject): Promise<boolean>;
  /**
   * Resolves a KEYWARD_ADMINS e-mail to the first principal that signs in with it (insert-if-absent), and
   * answers whether `subject` is that principal: 'claimed' when this call resolved it, 'held' when it already was.
   */
  claimBootstrapEmail(email: string, subject: RoleSubject): Promise<'claimed' | 'held' | false>;
  /** The principal a KEYWARD_ADMINS e-mail was resolved to, or null while nobody signed in with it. */
  bootstrapHolder(email: string): Promise<RoleSubject | null>;
  /**
   * Records whether the user's token carries the Entra admin app role, written only when that changes. The
   * app sees app roles only in a signed-in user's token, so an API key's creator is checked against this.
   */
  observeAppRoleAdmin(subject: RoleSubject, admin: boolean): Promise<void>;
  /**
   * Whether the user's token carried the admin app role when they were last seen, and they were seen within
   * APP_ROLE_ADMIN_FRESH_MS: the app learns app roles only from tokens, so a creator who lost the role in Entra
   * and never signs in again must not keep their API keys working on an old observation.
   */
  appRoleAdminSeen(subject: RoleSubject): Promise<boolean>;
}

interface AppRoleEntity {
  partitionKey: string;
  rowKey: string;
  tenantId: string;
  admin: boolean;
  /** When a token last carried the admin app role (ISO); refreshed at most every APP_ROLE_SEEN_REFRESH_MS. */
  seenAt?: string;
}

/**
 * How long one sighting of the Entra admin app role keeps its holder's API keys working: a day. App Service's
 * session (and with it the principal's roles) lasts hours, so an admin who uses Keyward is seen again well within
 * it; one who lost the role, or left, stops vouching for their keys a day after their last sign-in at the latest.
 * Keys meant to outlive their creator's visits belong to an admin granted by Keyward (object id), checked live.
 */
export const APP_ROLE_ADMIN_FRESH_MS = 24 * 3_600_000;
/** A sighting is written again only when the stored one is older than this (one write per admin per hour). */
const APP_ROLE_SEEN_REFRESH_MS = 3_600_000;

/** As admins name it: a bound row by the e-mail it was invited as, if it was. */
const toRecord = (e: UserRoleEntity): UserRoleRecord | null =>
  isRole(e.role) && !e.claimedBy
    ? {
        id: e.invitedAs ?? e.rowKey,
        role: e.role,
        updatedAt: e.updatedAt,
        updatedBy: e.updatedBy,
        ...(e.tenantId ? { tenantId: e.tenantId } : {}),
      }
    : null;

const pick = (e: UserRoleEntity): UserRoleEntity => ({
  partitionKey: e.partitionKey,
  rowKey: e.rowKey,
  role: e.role,
  updatedAt: e.updatedAt,
  updatedBy: e.updatedBy,
});

const isEmail = (id: string): boolean => id.includes('@');

/** Another writer got there first: the invitation moved or is gone, or the claim row exists. */
const lostRace = (error: unknown): boolean =>
  error instanceof StoreError && [404, 409, 412].includes(error.statusCode ?? 0);

export function createUserRoleStore(
  table: () => Promise<TableClient>,
  now: () => Date = () => new Date(),
): UserRoleStore {
  const getEntity = async (operation: string, id: string) => {
    const client = await table();
    return storeGet(operation, () => client.getEntity<UserRoleEntity>(PARTITION, id));
  };
  /** A row as admins see it: a claimed invitation not yet deleted does not count. */
  const liveEntity = async (id: string) => {
    const entity = await getEntity('userRoles.get', id);
    return entity && !entity.claimedBy ? entity : null;
  };
  /** The bound row an e-mail invitation became, found by the e-mail (admin operations only: a query). */
  const boundByInvitation = async (email: string): Promise<UserRoleEntity | null> => {
    if (!isEmail(email)) return null;
    const client = await table();
    const filter = `PartitionKey eq '${PARTITION}' and invitedAs eq '${email.replace(/'/g, "''")}'`;
    return storeCall('userRoles.byInvitation', async () => {
      for await (const entity of client.listEntities<UserRoleEntity>({ queryOptions: { filter } })) return entity;
      return null;
    });
  };
  const appRoleRow = async (objectId: string) => {
    const client = await table();
    return storeGet('userRoles.appRole', () => client.getEntity<AppRoleEntity>(APP_ROLE_PARTITION, objectId));
  };
  const bootstrapHolder = async (email: string) => {
    const client = await table();
    return storeGet('userRoles.bootstrap', () => client.getEntity<BootstrapEntity>(BOOTSTRAP_PARTITION, email));
  };
  return {
    async get(id) {
      const entity = (await liveEntity(id)) ?? (await boundByInvitation(id));
      return entity ? toRecord(entity) : null;
    },
    async getBound(objectId) {
      const entity = await getEntity('userRoles.get', objectId);
      return entity && !isEmail(entity.rowKey) ? toRecord(entity) : null;
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
      // A new role for an invited e-mail that was already claimed changes the claimant's assignment.
      const bound = (await liveEntity(r.id)) ? null : await boundByInvitation(r.id);
      const entity: UserRoleEntity = {
        partitionKey: PARTITION,
        rowKey: bound?.rowKey ?? r.id,
        role: r.role,
        updatedAt: r.updatedAt,
        updatedBy: r.updatedBy,
        ...(bound?.tenantId ? { tenantId: bound.tenantId, invitedAs: r.id } : {}),
        ...(r.tenantId && !bound ? { tenantId: r.tenantId } : {}),
      };
      await storeCall('userRoles.put', () => client.upsertEntity(entity, 'Replace'));
    },
    async remove(id) {
      const client = await table();
      const rowKey = (await liveEntity(id)) ? id : (await boundByInvitation(id))?.rowKey;
      if (!rowKey) return false;
      return (await storeGet('userRoles.remove', () => client.deleteEntity(PARTITION, rowKey))) !== null;
    },
    async claimInvitation(email, subject) {
      const invitation = await getEntity('userRoles.invitation', email);
      if (!invitation || invitation.tenantId || invitation.claimedBy || !isRole(invitation.role)) return false;
      const existing = await getEntity('userRoles.get', subject.objectId);
      // A transaction's delete is unconditional, so the claim is an ETag-conditional update of the invitation
      // (one claimant wins) in the same transaction as the bound row; the claimed invitation is deleted after.
      const claimed: UserRoleEntity = { ...pick(invitation), claimedBy: subject.objectId };
      const actions: TransactionAction[] = [['update', claimed, 'Replace', { etag: invitation.etag }]];
      if (!existing || existing.updatedAt < invitation.updatedAt) {
        const bound: UserRoleEntity = {
          partitionKey: PARTITION,
          rowKey: subject.objectId,
          role: invitation.role,
          updatedAt: invitation.updatedAt,
          updatedBy: invitation.updatedBy,
          tenantId: subject.tenantId,
          invitedAs: email,
        };
        actions.push(['upsert', bound, 'Replace']);
      }
      const client = await table();
      try {
        await storeCall('userRoles.claimInvitation', () => client.submitTransaction(actions));
      } catch (error) {
        if (lostRace(error)) return false;
        throw error;
      }
      // Conditional on the claimed row's ETag, so an invitation sent again meanwhile is not deleted; a
      // leftover claimed row is ignored by every read.
      const leftover = await getEntity('userRoles.claimed', email);
      if (leftover?.claimedBy === subject.objectId) {
        await client.deleteEntity(PARTITION, email, { etag: leftover.etag }).catch(() => undefined);
      }
      return true;
    },
    async bootstrapHolder(email) {
      const holder = await bootstrapHolder(email);
      return holder ? { objectId: holder.objectId, tenantId: holder.tenantId } : null;
    },
    async observeAppRoleAdmin(subject, admin) {
      const row = await appRoleRow(subject.objectId);
      const seen = row?.tenantId === subject.tenantId && row.admin;
      const at = now();
      const recent = !!row?.seenAt && at.getTime() - Date.parse(row.seenAt) < APP_ROLE_SEEN_REFRESH_MS;
      if ((seen === admin && (!admin || recent)) || (!row && !admin)) return;
      const client = await table();
      const entity: AppRoleEntity = {
        partitionKey: APP_ROLE_PARTITION,
        rowKey: subject.objectId,
        ...subject,
        admin,
        ...(admin ? { seenAt: at.toISOString() } : {}),
      };
      await storeCall('userRoles.appRoleSeen', () => client.upsertEntity(entity, 'Replace'));
    },
    async appRoleAdminSeen(subject) {
      const row = await appRoleRow(subject.objectId);
      if (row?.tenantId !== subject.tenantId || !row.admin || !row.seenAt) return false;
      return now().getTime() - Date.parse(row.seenAt) < APP_ROLE_ADMIN_FRESH_MS;
    },
    async claimBootstrapEmail(email, subject) {
      const holds = (e: BootstrapEntity | null): 'held' | false =>
        e?.objectId === subject.objectId && e.tenantId === subject.tenantId ? 'held' : false;
      const holder = await bootstrapHolder(email);
      if (holder) return holds(holder);
      const client = await table();
      const claim: BootstrapEntity = { partitionKey: BOOTSTRAP_PARTITION, rowKey: email, ...subject };
      try {
        await storeCall('userRoles.bootstrapClaim', () => client.createEntity(claim));
        return 'claimed';
      } catch (error) {
        if (!lostRace(error)) throw error;
        return holds(await bootstrapHolder(email));
      }
    },
  };
}
