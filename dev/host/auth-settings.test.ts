import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS, decideUnauthenticated, isExcluded, readAuthSettings, type GlobalValidation } from './auth-settings';

const redirect: GlobalValidation = {
  requireAuthentication: true,
  unauthenticatedClientAction: 'RedirectToLoginPage',
  excludedPaths: ['/api/health', '/docs/*'],
};

describe('globalValidation emulation', () => {
  it('lets everything through when authentication is not required', () => {
    expect(decideUnauthenticated({ ...redirect, requireAuthentication: false }, '/api/x', undefined)).toEqual({
      kind: 'allow',
    });
    expect(
      decideUnauthenticated({ ...redirect, unauthenticatedClientAction: 'AllowAnonymous' }, '/x', undefined),
    ).toEqual({
      kind: 'allow',
    });
  });

  it('redirects pages to sign-in with the original path, but answers 401 to XMLHttpRequest', () => {
    expect(decideUnauthenticated(redirect, '/dash?tab=1', undefined)).toEqual({
      kind: 'redirect',
      location: '/.auth/login/aad?post_login_redirect_uri=%2Fdash%3Ftab%3D1',
    });
    expect(decideUnauthenticated(redirect, '/dash', 'XMLHttpRequest')).toEqual({ kind: 'deny', status: 401 });
  });

  it('returns 401 or 403 in those modes', () => {
    expect(
      decideUnauthenticated({ ...redirect, unauthenticatedClientAction: 'Return401' }, '/api/x', undefined),
    ).toEqual({
      kind: 'deny',
      status: 401,
    });
    expect(
      decideUnauthenticated({ ...redirect, unauthenticatedClientAction: 'Return403' }, '/api/x', undefined),
    ).toEqual({
      kind: 'deny',
      status: 403,
    });
  });

  it('matches excluded paths exactly (case and trailing slash aside) or by a /* prefix', () => {
    expect(isExcluded(redirect.excludedPaths, '/API/Health/')).toBe(true);
    expect(isExcluded(redirect.excludedPaths, '/api/healthz')).toBe(false);
    expect(isExcluded(redirect.excludedPaths, '/api/health/deep')).toBe(false);
    expect(isExcluded(redirect.excludedPaths, '/docs')).toBe(true);
    expect(isExcluded(redirect.excludedPaths, '/docs/a/b')).toBe(true);
    expect(isExcluded(redirect.excludedPaths, '/docsx')).toBe(false);
    expect(decideUnauthenticated(redirect, '/api/health?probe=1', undefined)).toEqual({ kind: 'allow' });
  });
});

describe('readAuthSettings', () => {
  const appWith = (json: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-auth-'));
    mkdirSync(join(dir, 'infra'));
    writeFileSync(join(dir, 'infra', 'authsettings.json'), JSON.stringify(json));
    return dir;
  };

  it('reads the file and treats a missing one as anonymous', () => {
    expect(readAuthSettings(appWith(redirect))).toEqual(redirect);
    expect(readAuthSettings(mkdtempSync(join(tmpdir(), 'kw-none-')))).toEqual(ANONYMOUS);
  });

  it('rejects unknown actions and malformed excluded paths', () => {
    expect(() => readAuthSettings(appWith({ ...redirect, unauthenticatedClientAction: 'Return402' }))).toThrow(
      /one of/,
    );
    expect(() => readAuthSettings(appWith({ ...redirect, excludedPaths: ['api/health'] }))).toThrow(/starting with/);
  });

  it("reads Keyward's own file: anonymous at the edge, the app enforces identity", () => {
    expect(readAuthSettings(join(__dirname, '..', '..'))).toEqual(ANONYMOUS);
  });
});
