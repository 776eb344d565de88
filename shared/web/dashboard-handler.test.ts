import { HttpRequest } from '@azure/functions';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../http/http-errors';
import { serveDashboard } from './dashboard-handler';
import { createStaticAssets } from './static-assets';

const root = mkdtempSync(join(tmpdir(), 'keyward-dashboard-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keyward</title>');
writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}');
const assets = createStaticAssets(root);

const principal = Buffer.from(
  JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'preferred_username', val: 'jane@contoso.com' }] }),
).toString('base64');
const signedIn = {
  'x-ms-client-principal': principal,
  'x-ms-client-principal-id': 'oid-1',
  'x-ms-client-principal-name': 'jane@contoso.com',
  'x-ms-client-principal-idp': 'aad',
};
const request = (path: string, headers: Record<string, string> = {}): HttpRequest =>
  new HttpRequest({ method: 'GET', url: `http://localhost${path}`, headers });

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return error instanceof ApiError ? error.status : -1;
  }
}

describe('serveDashboard', () => {
  it('serves the app for a signed-in client route and the file for an asset', async () => {
    const page = await serveDashboard(request('/scans/s-1?x=1', signedIn), assets);
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    expect(String(page.body)).toContain('<title>Keyward</title>');
    const script = await serveDashboard(request('/assets/index-abc.js'), assets);
    expect(script).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect(script.headers).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('sends a page request without a session to the sign-in, coming back to the same path', async () => {
    const result = await serveDashboard(request('/items?severity=critical'), assets);
    expect(result.status).toBe(302);
    expect(result.headers?.location).toBe(
      `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/items?severity=critical')}`,
    );
  });

  it('answers 404 for a missing file and for API, docs and platform paths it does not own', async () => {
    for (const path of [
      '/assets/missing.js',
      '/api/nothing',
      '/API/x',
      '/docs/x',
      '/redoc/y',
      '/.auth/z',
      '/openapi.json',
    ]) {
      await expect(statusOf(serveDashboard(request(path, signedIn), assets))).resolves.toBe(404);
    }
  });
});
