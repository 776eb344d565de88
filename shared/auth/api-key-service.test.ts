import { fixedClock } from '../time/clock';
import { createApiKeyService, DEFAULT_KEY_EXPIRY_DAYS, type KeyCreator } from './api-key-service';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';

const NOW = new Date('2026-05-01T00:00:00Z');
const days = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString();
const creator: KeyCreator = {
  name: 'ada@example.com',
  subject: { tenantId: 'tenant-1', objectId: 'oid-1' },
  notAfter: null,
};

function memoryStore(): ApiKeyStore & { rows: Map<string, ApiKeyRecord> } {
  const rows = new Map<string, ApiKeyRecord>();
  return {
    rows,
    insert: async (r) => void rows.set(r.id, r),
    get: async (id) => rows.get(id) ?? null,
    list: async () => [...rows.values()],
    remove: async (id) => rows.delete(id),
    touch: async () => undefined,
  };
}

describe('API key service', () => {
  const service = (store = memoryStore()) => createApiKeyService({ store, clock: fixedClock(NOW) });

  it(`expires a key created without an expiry after ${DEFAULT_KEY_EXPIRY_DAYS} days, and honours a given one`, async () => {
    const keys = service();
    expect((await keys.create({ name: 'ci', role: 'reader' }, creator)).expiresAt).toBe(days(90));
    expect((await keys.create({ name: 'ci', role: 'reader', expiresInDays: 7 }, creator)).expiresAt).toBe(days(7));
  });

  it('never lets a key outlive the key that created it', async () => {
    const created = await service().create(
      { name: 'child', role: 'reader', expiresInDays: 365 },
      { ...creator, notAfter: days(30) },
    );
    expect(created.expiresAt).toBe(days(30));
  });

  it('records the creator and hands it back with the identity when the key is used', async () => {
    const keys = service();
    const created = await keys.create({ name: 'ci', role: 'operator' }, creator);
    expect(await keys.authenticate(created.key)).toEqual({
      identity: {
        userId: `apikey:${created.id}`,
        userEmail: null,
        userName: 'ci',
        roles: ['operator'],
        authType: 'apiKey',
      },
      creator: { tenantId: 'tenant-1', objectId: 'oid-1' },
    });
  });

  it('reports no creator for a key stored before creators were recorded', async () => {
    const store = memoryStore();
    const keys = service(store);
    const created = await keys.create({ name: 'old', role: 'admin' }, creator);
    const row = store.rows.get(created.id);
    if (!row) throw new Error('not stored');
    store.rows.set(created.id, { ...row, creatorId: null, expiresAt: null });
    expect((await keys.authenticate(created.key))?.creator).toBeNull();
  });
});
