import { HttpRequest } from '@azure/functions';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createApiKeyService, type ApiKeyService } from '../../shared/auth/api-key-service';
import { API_KEYS_TABLE, createApiKeyStore } from '../../shared/auth/api-key-store';
import { createIdentityResolver, parseBootstrapAdmins } from '../../shared/auth/identity-resolver';
import {
  APP_ROLE_ADMIN_FRESH_MS,
  createUserRoleStore,
  USER_ROLES_TABLE,
  type UserRoleStore,
} from '../../shared/auth/user-role-store';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { fixedClock } from '../../shared/time/clock';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OID = 'aaaaaaaa-0000-4000-8000-000000000001';
const ENV = {
  WEBSITE_AUTH_ENABLED: 'True',
  WEBSITE_AUTH_OPENID_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  WEBSITE_AUTH_CLIENT_ID: 'client',
  AZURE_TENANT_ID: TENANT,
};
const creator = { name: 'ada@example.com', subject: { tenantId: TENANT, objectId: OID }, notAfter: null };
const at = new Date('2026-05-01T00:00:00Z').toISOString();

/** The creator's own request, with or without the Entra admin app role in their token. */
function signedIn(appRoles: string[]): HttpRequest {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: TENANT },
    { typ: 'preferred_username', val: 'ada@example.com' },
    ...appRoles.map((val) => ({ typ: 'roles', val })),
  ];
  return new HttpRequest({
    method: 'GET',
    url: 'http://localhost/api/me',
    headers: {
      'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64'),
      'x-ms-client-principal-id': OID,
      'x-ms-client-principal-name': 'ada@example.com',
      'x-ms-client-principal-idp': 'aad',
    },
  });
}
const withKey = (key: string): HttpRequest =>
  new HttpRequest({ method: 'GET', url: 'http://localhost/api/me', headers: { authorization: `Bearer ${key}` } });

describe('API keys live only while their creator holds the admin role (Azurite)', () => {
  let azurite: RunningAzurite;
  let apiKeys: ApiKeyService;
  let userRoles: UserRoleStore;
  let run = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  beforeEach(() => {
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    run += 1;
    const keysTable = `${API_KEYS_TABLE}${run}`;
    const rolesTable = `${USER_ROLES_TABLE}${run}`;
    apiKeys = createApiKeyService({
      store: createApiKeyStore(() => storage.table(keysTable)),
      clock: fixedClock(new Date('2026-05-01T00:00:00Z')),
    });
    userRoles = createUserRoleStore(() => storage.table(rolesTable));
  });
  const resolver = (admins = '') =>
    createIdentityResolver({ apiKeys, userRoles, bootstrapAdmins: parseBootstrapAdmins(admins), env: ENV });

  it('refuses a key once the role assignment that made its creator admin is removed', async () => {
    await userRoles.put({ id: OID, role: 'admin', updatedAt: at, updatedBy: 'root', tenantId: TENANT });
    const { key } = await apiKeys.create({ name: 'ci', role: 'reader' }, creator);
    expect((await resolver().resolve(withKey(key)))?.roles).toEqual(['reader']);
    await userRoles.put({ id: OID, role: 'operator', updatedAt: at, updatedBy: 'root', tenantId: TENANT });
    expect(await resolver().resolve(withKey(key))).toBeNull();
    await userRoles.remove(OID);
    expect(await resolver().resolve(withKey(key))).toBeNull();
  });

  it('refuses a key once its creator is seen without the Entra admin app role, and accepts it again after', async () => {
    const r = resolver();
    await r.resolve(signedIn(['admin']));
    const { key } = await apiKeys.create({ name: 'ci', role: 'operator' }, creator);
    expect((await r.resolve(withKey(key)))?.roles).toEqual(['operator']);
    await r.resolve(signedIn(['reader']));
    expect(await r.resolve(withKey(key))).toBeNull();
    await r.resolve(signedIn(['admin']));
    expect((await r.resolve(withKey(key)))?.roles).toEqual(['operator']);
  });

  it('refuses a key once its app-role creator has not been seen for a day, without them ever signing in again', async () => {
    // The app learns app roles only from tokens: a creator removed from the role in Entra who never comes back is
    // never "seen without it", so one sighting vouches for their keys for APP_ROLE_ADMIN_FRESH_MS only.
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const clock = fixedClock(new Date('2026-05-01T00:00:00Z'));
    const roles = createUserRoleStore(
      () => storage.table(`${USER_ROLES_TABLE}fresh${run}`),
      () => clock.now(),
    );
    const r = createIdentityResolver({ apiKeys, userRoles: roles, bootstrapAdmins: new Set(), env: ENV });
    await r.resolve(signedIn(['admin']));
    const { key } = await apiKeys.create({ name: 'ci', role: 'operator' }, creator);
    clock.advance(APP_ROLE_ADMIN_FRESH_MS - 60_000);
    expect((await r.resolve(withKey(key)))?.roles).toEqual(['operator']);
    clock.advance(120_000);
    expect(await r.resolve(withKey(key))).toBeNull();
    // Signing in again with the role renews the sighting (a sighting is written at most hourly, so it is fresh).
    await r.resolve(signedIn(['admin']));
    expect((await r.resolve(withKey(key)))?.roles).toEqual(['operator']);
  });

  it('keeps a key of a KEYWARD_ADMINS creator (object id or claimed e-mail) working, and not after removal', async () => {
    const { key } = await apiKeys.create({ name: 'ci', role: 'reader' }, creator);
    expect(await resolver(OID).resolve(withKey(key))).not.toBeNull();
    expect(await resolver('ada@example.com').resolve(withKey(key))).toBeNull();
    await resolver('ada@example.com').resolve(signedIn([]));
    expect(await resolver('ada@example.com').resolve(withKey(key))).not.toBeNull();
    expect(await resolver('').resolve(withKey(key))).toBeNull();
  });

  it('refuses a key whose creator is of another tenant', async () => {
    await userRoles.put({ id: OID, role: 'admin', updatedAt: at, updatedBy: 'root', tenantId: TENANT });
    const foreign = await apiKeys.create(
      { name: 'ci', role: 'reader' },
      { ...creator, subject: { tenantId: 'another-tenant', objectId: OID } },
    );
    expect(await resolver().resolve(withKey(foreign.key))).toBeNull();
  });
});
