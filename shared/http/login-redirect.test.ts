import { HttpRequest } from '@azure/functions';
import { loginRedirect, sameOriginPath } from './login-redirect';

const locationOf = (url: string): string =>
  (loginRedirect(new HttpRequest({ method: 'GET', url })).headers as Record<string, string>).location ?? '';

describe('loginRedirect', () => {
  it('sends the browser to EasyAuth sign-in with the page path and query as the way back', () => {
    const response = loginRedirect(new HttpRequest({ method: 'GET', url: 'http://localhost/vaults?sort=expiry&x=1' }));
    expect(response.status).toBe(302);
    expect((response.headers as Record<string, string>).location).toBe(
      '/.auth/login/aad?post_login_redirect_uri=%2Fvaults%3Fsort%3Dexpiry%26x%3D1',
    );
  });

  it('comes back to / when the requested path would name another host', () => {
    for (const url of [
      'http://localhost//evil.com',
      'http://localhost//evil.com/x?y=1',
      'http://localhost/%09/evil.com',
    ]) {
      expect(locationOf(url)).toBe('/.auth/login/aad?post_login_redirect_uri=%2F');
    }
  });
});

describe('sameOriginPath', () => {
  it('keeps paths on this origin, with their query', () => {
    for (const path of ['/', '/vaults', '/items?severity=critical&q=a%20b', '/scans/s-1#top', '/a%2Fb']) {
      expect(sameOriginPath(path)).toBe(path);
    }
  });

  it('refuses protocol-relative, backslash, whitespace-smuggled and absolute targets', () => {
    for (const target of [
      '//evil.com',
      '/\\evil.com',
      '/%09/evil.com',
      '/\t/evil.com',
      '/%2F/evil.com',
      '/%5Cevil.com',
      '/%0a/evil.com',
      '/ /evil.com',
      'https://evil.com/',
      'http:/evil.com',
      'evil.com',
      'javascript:alert(1)',
      ' /vaults',
      '/%E0%A4%A',
      '',
      null,
      undefined,
    ]) {
      expect(sameOriginPath(target)).toBe('/');
    }
  });
});
