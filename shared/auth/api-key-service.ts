import type { Clock } from '../time/clock';
import type { Identity, Role } from './auth-roles';
import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key-format';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';

export type ApiKeyMetadata = Omit<ApiKeyRecord, 'hash'>;

const DAY_MS = 86_400_000;
/** lastUsedAt is written at most this often per key, so a busy automation does not write on every call. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ApiKeyService {
  /**
   * Creates a key; the returned `key` is the only time it exists outside the caller's hands. `beforeStore`
   * runs once the key's id is known and before it is stored (the audit entry): if it throws, no key exists.
   */
  create(
    input: { name: string; role: Role; expiresInDays?: number },
    createdBy: string,
    beforeStore?: (metadata: ApiKeyMetadata) => Promise<void>,
  ): Promise<ApiKeyMetadata & { key: string }>;
  list(): Promise<ApiKeyMetadata[]>;
  get(id: string): Promise<ApiKeyMetadata | null>;
  revoke(id: string): Promise<boolean>;
  /** The identity a presented key stands for, or null if it is unknown, revoked or expired. */
  authenticate(key: string): Promise<Identity | null>;
}

const metadata = ({ hash: _hash, ...rest }: ApiKeyRecord): ApiKeyMetadata => rest;

export function createApiKeyService(deps: { store: ApiKeyStore; clock: Clock }): ApiKeyService {
  return {
    async create(input, createdBy, beforeStore) {
      const generated = generateApiKey();
      const now = deps.clock.now();
      const record: ApiKeyRecord = {
        id: generated.id,
        name: input.name,
        role: input.role,
        prefix: generated.prefix,
        hash: generated.hash,
        createdAt: now.toISOString(),
        createdBy,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString() : null,
        lastUsedAt: null,
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
      return {
        userId: `apikey:${id}`,
        userEmail: null,
        userName: record.name,
        roles: [record.role],
        authType: 'apiKey',
      };
    },
  };
}
