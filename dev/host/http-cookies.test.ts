import { parseCookies, rpcCookieToHeader, serializeCookie } from './http-cookies';

describe('cookies', () => {
  it('parses a Cookie header, first occurrence wins', () => {
    const cookies = parseCookies('a=1; b="two"; a=3; broken; =x');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
  });

  it('serialises Set-Cookie attributes', () => {
    expect(serializeCookie('s', 'v', { httpOnly: true, sameSite: 'Lax', maxAge: 0, expires: new Date(0) })).toBe(
      's=v; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax',
    );
  });

  it('turns an RPC cookie from a function response into Set-Cookie', () => {
    const header = rpcCookieToHeader({
      name: 'seen',
      value: 'yes',
      path: { value: '/api' },
      domain: { value: 'example.com' },
      expires: { value: { seconds: 86_400 } },
      secure: { value: true },
      httpOnly: { value: true },
      sameSite: 'explicitNone',
    });
    expect(header).toBe(
      'seen=yes; Domain=example.com; Path=/api; Expires=Fri, 02 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None',
    );
  });
});
