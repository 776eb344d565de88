import { safeRedirect } from './auth-endpoints';

describe('safeRedirect (post_login_redirect_uri)', () => {
  it('keeps same-origin paths', () => {
    expect(safeRedirect('/api/whoami?x=1')).toBe('/api/whoami?x=1');
    expect(safeRedirect('/.auth/logout/done')).toBe('/.auth/logout/done');
  });

  it('refuses targets a browser would send to another host, as URLSearchParams hands them over', () => {
    const query = new URLSearchParams(
      'a=%2F%2Fevil.com&b=%2F%5Cevil.com&c=/%09/evil.com&d=%2F%2509%2Fevil.com&e=https://evil.com&f=evil.com',
    );
    for (const value of query.values()) expect(safeRedirect(value)).toBe('/');
    expect(safeRedirect(null)).toBe('/');
  });
});
