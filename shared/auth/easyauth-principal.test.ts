import { readEasyAuthPrincipal } from './easyauth-principal';

const ROLE_URI = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

function headers(principal: unknown, extra: Record<string, string> = {}): (name: string) => string | null {
  const all: Record<string, string> = {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'x-ms-client-principal-id': 'oid-1',
    'x-ms-client-principal-name': 'jane@contoso.com',
    'x-ms-client-principal-idp': 'aad',
    ...extra,
  };
  return (name) => all[name] ?? null;
}

describe('readEasyAuthPrincipal', () => {
  it('reads id, email, name and roles from roles claims and role_typ claims', () => {
    const principal = readEasyAuthPrincipal(
      headers({
        auth_typ: 'aad',
        name_typ: 'name',
        role_typ: ROLE_URI,
        claims: [
          { typ: 'preferred_username', val: 'jane@contoso.com' },
          { typ: 'name', val: 'Jane Smith' },
          { typ: 'roles', val: 'reader' },
          { typ: ROLE_URI, val: 'admin' },
          { typ: 'roles', val: 'Portal.Developer' },
        ],
      }),
    );
    expect(principal).toEqual({
      userId: 'oid-1',
      userEmail: 'jane@contoso.com',
      userName: 'Jane Smith',
      roles: ['reader', 'admin'],
      tenantId: null,
      identityProviders: ['aad', 'aad'],
    });
  });

  it('returns null for missing, non-base64-JSON or wrongly shaped principals', () => {
    expect(readEasyAuthPrincipal(() => null)).toBeNull();
    expect(readEasyAuthPrincipal((n) => (n === 'x-ms-client-principal' ? '%%%not base64' : null))).toBeNull();
    expect(readEasyAuthPrincipal(headers({ claims: 'nope' }))).toBeNull();
  });

  it('ignores a role claim under a type that is neither roles nor role_typ', () => {
    const principal = readEasyAuthPrincipal(headers({ auth_typ: 'aad', claims: [{ typ: 'groups', val: 'admin' }] }));
    expect(principal?.roles).toEqual([]);
  });
});
