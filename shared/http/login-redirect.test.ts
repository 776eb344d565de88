import { HttpRequest } from '@azure/functions';
import { loginRedirect } from './login-redirect';

describe('loginRedirect', () => {
  it('sends the browser to EasyAuth sign-in with the page path and query as the way back', () => {
    const response = loginRedirect(new HttpRequest({ method: 'GET', url: 'http://localhost/vaults?sort=expiry&x=1' }));
    expect(response.status).toBe(302);
    expect((response.headers as Record<string, string>).location).toBe(
      '/.auth/login/aad?post_login_redirect_uri=%2Fvaults%3Fsort%3Dexpiry%26x%3D1',
    );
  });
});
