import type { Clock } from '../time/clock';
import type { Identity, Role } from './auth-roles';
import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key-format';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';
import type { RoleSubject } from './user-role-store';

export type ApiKeyMetadata = Omit<ApiKeyRecord, 'hash'>;

const DAY_MS = 86_400_000;
/** A key created without an expiry stops working after this many days. */
export const DEFAULT_KEY_EXPIRY_DAYS = 90;
/** lastUsedAt is written at most this often per key, so a busy automation does not write on every call. */
const TOUCH_INTERVAL_MS = 60_000;

/** Who a new key depends on. */
export interface KeyCreator {
  /** Shown as the key's `createdBy`. */
  readonly name: string;
  /** The person whose admin role the key needs at every use. */
  readonly subject: RoleSubject;
  /** The key cannot expire after this (a key created with another key cannot outlive that key). */
  readonly notAfter: string | null;
}

/** A presented key that matched: who it stands for and whose admin role it depends on. */
export interface AuthenticatedKey {
  readonly identity: Identity;
  /** Null for a key created before creators were recorded. */
  readonly creator: RoleSubject | null;
}

export interface ApiKeyService {
  /**
   * Creates a key; the returned `key` is the only time it exists outside the caller's hands. `beforeStore`
   * runs once the key's id is known and before it is stored (the audit entry): if it throws, no key exists.
   */
  create(
    input: { name: string; role: Role; expiresInDays?: number },
    creator: KeyCreator,
    beforeStore?: (metadata: ApiKeyMetadata) => Promise<void>,
  ): Promise<ApiKeyMetadata & { key: string }>;
  list(): Promise<ApiKeyMetadata[]>;
  get(id: string): Promise<ApiKeyMetadata | null>;
  revoke(id: string): Promise<boolean>;
  /** The key's identity and creator, or null if it is unknown, revoked or expired. */
  authenticate(key: string): Promise<AuthenticatedKey | null>;
}

const metadata = ({ hash: _hash, ...rest }: ApiKeyRecord): ApiKeyMetadata => rest;

/** `<tenant id>/<object id>`, and back. */
export const creatorIdOf = (subject: RoleSubject): string => `${subject.tenantId}/${subject.objectId}`;
export function creatorSubject(creatorId: string | null): RoleSubject | null {
  const [tenantId, objectId, extra] = creatorId?.split('/') ?? [];
  return tenantId && objectId && extra === undefined ? { tenantId, objectId } : null;
}

export function createApiKeyService(deps: { store: ApiKeyStore; clock: Clock }): ApiKeyService {
  return {
    async create(input, creator, beforeStore) {
      const generated = generateApiKey();
      const now = deps.clock.now();
      const requested = now.getTime() + (input.expiresInDays ?? DEFAULT_KEY_EXPIRY_DAYS) * DAY_MS;
      const cap = creator.notAfter === null ? Infinity : Date.parse(creator.notAfter);
      const record: ApiKeyRecord = {
        id: generated.id,
        name: input.name,
        role: input.role,
        prefix: generated.prefix,
        hash: generated.hash,
        createdAt: now.toISOString(),
        createdBy: creator.name,
        expiresAt: new Date(Math.min(requested, cap)).toISOString(),
        lastUsedAt: null,
        creatorId: creatorIdOf(creator.subject),
      };
      await beforeStore?.(metadata(record));
      await deps.store.insert(record);
      return { ...metadata(record), key: generated.key };
    },
    async list() {
      const records = await deps.store.list();
      return records.map(metadata).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async get(id) {
      const record = await deps.store.get(id);
      return record ? metadata(record) : null;
    },
    revoke: (id) => deps.store.remove(id),
    async authenticate(key) {
      const id = apiKeyId(key);
      if (!id) return null;
      const record = await deps.store.get(id);
      if (!record || !apiKeyMatches(key, record.hash)) return null;
      const now = deps.clock.now();
      if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return null;
      if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) >= TOUCH_INTERVAL_MS) {
        await deps.store.touch(id, now.toISOString());
      }
      const identity: Identity = {
        userId: `apikey:${id}`,
        userEmail: null,
        userName: record.name,
        roles: [record.role],
        authType: 'apiKey',
      };
      return { identity, creator: creatorSubject(record.creatorId) };
    },
  };
}
