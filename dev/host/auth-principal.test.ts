import {
  LOCAL_TENANT_ID,
  OBJECT_ID_CLAIM,
  claimsFor,
  isPlatformIdentityHeader,
  objectIdFor,
  principalHeaders,
  useObjectIdSeed,
} from './auth-principal';

describe('client principal', () => {
  it('derives a stable, case-insensitive UUID object id from the email', () => {
    const id = objectIdFor('Ada@Example.com');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(objectIdFor(' ada@example.com ')).toBe(id);
    expect(objectIdFor('bob@example.com')).not.toBe(id);
  });

  it('injects the four headers, the principal as base64 JSON with one roles claim per role', () => {
    const headers = principalHeaders({ email: 'ada@example.com', name: 'Ada', roles: ['admin', 'reader'] });
    expect(Object.keys(headers).sort()).toEqual([
      'x-ms-client-principal',
      'x-ms-client-principal-id',
      'x-ms-client-principal-idp',
      'x-ms-client-principal-name',
    ]);
    const principal = JSON.parse(Buffer.from(headers['x-ms-client-principal'] ?? '', 'base64').toString()) as {
      auth_typ: string;
      claims: { typ: string; val: string }[];
    };
    expect(principal.auth_typ).toBe('aad');
    expect(principal.claims.filter((c) => c.typ === 'roles').map((c) => c.val)).toEqual(['admin', 'reader']);
    expect(principal.claims).toContainEqual({ typ: OBJECT_ID_CLAIM, val: headers['x-ms-client-principal-id'] });
    expect(headers['x-ms-client-principal-name']).toBe('ada@example.com');
  });

  it('classifies platform identity headers regardless of case', () => {
    expect(isPlatformIdentityHeader('X-MS-CLIENT-PRINCIPAL-NAME')).toBe(true);
    expect(isPlatformIdentityHeader('x-ms-token-aad-id-token')).toBe(true);
    expect(isPlatformIdentityHeader('authorization')).toBe(false);
    expect(isPlatformIdentityHeader('x-ms-request-id')).toBe(false);
  });

  it('names the local tenant, the one the host attests to the app, in the tenant id claim', () => {
    expect(claimsFor({ email: 'ada@example.com', name: 'Ada', roles: [] })).toContainEqual({
      typ: 'http://schemas.microsoft.com/identity/claims/tenantid',
      val: LOCAL_TENANT_ID,
    });
  });

  it('gives the same e-mail another object id under another seed (an account re-created with that address)', () => {
    const original = objectIdFor('ada@example.com');
    try {
      useObjectIdSeed('recreated');
      expect(objectIdFor('ada@example.com')).not.toBe(original);
      expect(objectIdFor('ada@example.com')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      useObjectIdSeed('keyward-local');
    }
    expect(objectIdFor('ada@example.com')).toBe(original);
  });
});
