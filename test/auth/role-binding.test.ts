import { HttpRequest } from '@azure/functions';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import type { ApiKeyService } from '../../shared/auth/api-key-service';
import { createIdentityResolver, parseBootstrapAdmins } from '../../shared/auth/identity-resolver';
import { createUserRoleStore, USER_ROLES_TABLE, type UserRoleStore } from '../../shared/auth/user-role-store';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { createAuditService } from '../../shared/audit/audit-service';
import { systemClock } from '../../shared/time/clock';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const OID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const ENV = {
  WEBSITE_AUTH_ENABLED: 'True',
  WEBSITE_AUTH_OPENID_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  WEBSITE_AUTH_CLIENT_ID: 'client',
  AZURE_TENANT_ID: TENANT,
};
const noKeys = { authenticate: async () => null } as unknown as ApiKeyService;

/** A request from an Entra user of the configured tenant with no app-role claims. */
function requestFrom(objectId: string, email: string): HttpRequest {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: TENANT },
    { typ: 'preferred_username', val: email },
  ];
  return new HttpRequest({
    method: 'GET',
    url: 'http://localhost/api/me',
    headers: {
      'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64'),
      'x-ms-client-principal-id': objectId,
      'x-ms-client-principal-name': email,
      'x-ms-client-principal-idp': 'aad',
    },
  });
}

const at = (minute: number): string => new Date(Date.UTC(2026, 4, 1, 0, minute)).toISOString();

describe('roles bind to object id and tenant; e-mails are invitations (Azurite)', () => {
  let azurite: RunningAzurite;
  let store: UserRoleStore;
  let tableName = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  beforeEach(() => {
    // A fresh table per test, so claims made by one test are not seen by the next.
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const name = `${USER_ROLES_TABLE}${(tableName += 1)}`;
    store = createUserRoleStore(() => storage.table(name));
  });
  const resolver = (admins = '') =>
    createIdentityResolver({
      apiKeys: noKeys,
      userRoles: store,
      bootstrapAdmins: parseBootstrapAdmins(admins),
      env: ENV,
    });
  const rolesOf = async (r: ReturnType<typeof resolver>, objectId: string, email: string) =>
    (await r.resolve(requestFrom(objectId, email)))?.roles;

  it('resolves an e-mail invitation to the first signer-in; another principal with that e-mail gets no role', async () => {
    await store.put({ id: 'ada@example.com', role: 'admin', updatedAt: at(0), updatedBy: 'root' });
    const r = resolver();
    expect(await rolesOf(r, OID_A, 'Ada@Example.com')).toEqual(['admin']);
    expect(await rolesOf(r, OID_B, 'ada@example.com')).toEqual([]);
    // The assignment is now the object id's, in the configured tenant; admins still see it by the e-mail.
    expect(await store.list()).toEqual([
      { id: 'ada@example.com', role: 'admin', updatedAt: at(0), updatedBy: 'root', tenantId: TENANT },
    ]);
    expect(await store.getBound(OID_A)).toMatchObject({ role: 'admin', tenantId: TENANT });
    expect(await rolesOf(r, OID_A, 'renamed@example.com')).toEqual(['admin']);
    // A new role by that e-mail changes the claimant's assignment instead of inviting again.
    await store.put({ id: 'ada@example.com', role: 'reader', updatedAt: at(2), updatedBy: 'root' });
    expect(await rolesOf(r, OID_B, 'ada@example.com')).toEqual([]);
    expect(await rolesOf(r, OID_A, 'ada@example.com')).toEqual(['reader']);
    expect(await store.remove('ada@example.com')).toBe(true);
    expect(await rolesOf(r, OID_A, 'ada@example.com')).toEqual([]);
  });

  it('gives a KEYWARD_ADMINS e-mail to the first principal only; object ids in the list always hold admin', async () => {
    const r = resolver(`boot@example.com, ${OID_B}`);
    expect(await rolesOf(r, OID_A, 'boot@example.com')).toEqual(['admin']);
    expect(await rolesOf(r, OID_A, 'boot@example.com')).toEqual(['admin']);
    expect(await rolesOf(resolver(`boot@example.com`), OID_B, 'boot@example.com')).toEqual([]);
    expect(await rolesOf(r, OID_B, 'someone@example.com')).toEqual(['admin']);
  });

  it('lets exactly one of two principals signing in at once with an invited e-mail claim it', async () => {
    await store.put({ id: 'twin@example.com', role: 'operator', updatedAt: at(0), updatedBy: 'root' });
    const r = resolver();
    const [a, b] = await Promise.all([rolesOf(r, OID_A, 'twin@example.com'), rolesOf(r, OID_B, 'twin@example.com')]);
    expect([a, b].filter((roles) => roles?.includes('operator'))).toHaveLength(1);
    const boot = resolver('pair@example.com');
    const claims = await Promise.all([
      rolesOf(boot, OID_A, 'pair@example.com'),
      rolesOf(boot, OID_B, 'pair@example.com'),
    ]);
    expect(claims.filter((roles) => roles?.includes('admin'))).toHaveLength(1);
  });

  it('ignores an object-id assignment bound to another tenant', async () => {
    await store.put({ id: OID_A, role: 'admin', updatedAt: at(0), updatedBy: 'root', tenantId: 'another-tenant' });
    expect(await rolesOf(resolver(), OID_A, 'ada@example.com')).toEqual([]);
  });

  it('keeps the later of an invitation and an existing assignment of the object id', async () => {
    await store.put({ id: OID_A, role: 'reader', updatedAt: at(5), updatedBy: 'root', tenantId: TENANT });
    await store.put({ id: 'ada@example.com', role: 'admin', updatedAt: at(1), updatedBy: 'root' });
    expect(await rolesOf(resolver(), OID_A, 'ada@example.com')).toEqual(['reader']);
    await store.put({ id: 'ada@example.com', role: 'operator', updatedAt: at(9), updatedBy: 'root' });
    expect(await rolesOf(resolver(), OID_A, 'ada@example.com')).toEqual(['operator']);
  });

  it('audits each invitation claim once, naming the object id and the e-mail it came from', async () => {
    // The real audit chain over the same Azurite; only appends happen here, so nothing is ever signed.
    const storage = createStorageClients({ AzureWebJobsStorage: azurite.connectionString });
    const refuse = (): Promise<never> => Promise.reject(new Error('nothing is signed here'));
    const audit = createAuditService({
      table: await storage.table(`AuditClaims${tableName}`),
      exportsContainer: storage.blobService().getContainerClient(`claims${tableName}`),
      clock: systemClock,
      signer: { sign: refuse, publicKey: refuse },
      tenant: { id: TENANT, name: 'test' },
    });
    await store.put({ id: 'ada@example.com', role: 'operator', updatedAt: at(0), updatedBy: 'root' });
    const r = createIdentityResolver({
      apiKeys: noKeys,
      userRoles: store,
      bootstrapAdmins: parseBootstrapAdmins('root@example.com'),
      env: ENV,
      audit,
    });
    expect((await r.resolve(requestFrom(OID_A, 'ada@example.com')))?.roles).toEqual(['operator']);
    await r.resolve(requestFrom(OID_A, 'ada@example.com')); // a second sign-in claims nothing
    await r.resolve(requestFrom(OID_B, 'ada@example.com')); // nor does another principal with the e-mail
    expect((await r.resolve(requestFrom(OID_B, 'root@example.com')))?.roles).toEqual(['admin']);
    const claims = (await audit.list({ action: 'role.invitationClaimed', limit: 50 })).entries;
    expect(claims.map((e) => [e.actor.id, e.target, e.details])).toEqual([
      [OID_A, `user:${OID_A}`, { invitedAs: 'ada@example.com', tenantId: TENANT, source: 'role assignment' }],
      [OID_B, `user:${OID_B}`, { invitedAs: 'root@example.com', tenantId: TENANT, source: 'KEYWARD_ADMINS' }],
    ]);
  });
});
