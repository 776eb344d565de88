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

const TENANT = '7f0c3a52-1d2e-4b3c-9a8d-0e1f2a3b4c5d';
const trust = { tenantId: TENANT };
const principalOf = (tid: string): string =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [
        { typ: 'preferred_username', val: 'jane@contoso.com' },
        { typ: 'tid', val: tid },
      ],
    }),
  ).toString('base64');
const principal = principalOf(TENANT);
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
    const page = await serveDashboard(request('/scans/s-1?x=1', signedIn), assets, trust);
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    expect(String(page.body)).toContain('<title>Keyward</title>');
    const script = await serveDashboard(request('/assets/index-abc.js'), assets, trust);
    expect(script).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect(script.headers).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('sends a page request without a session to the sign-in, coming back to the same path', async () => {
    const result = await serveDashboard(request('/items?severity=critical'), assets, trust);
    expect(result.status).toBe(302);
    expect(result.headers?.location).toBe(
      `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/items?severity=critical')}`,
    );
  });

  it('redirects to sign-in when the principal is not one the API would believe (no attestation, foreign tenant, other idp)', async () => {
    const login = (r: { status: number; headers?: Record<string, string> }) =>
      r.status === 302 && String(r.headers?.location).startsWith('/.auth/login/aad');
    expect(login(await serveDashboard(request('/items', signedIn), assets, null))).toBe(true);
    const foreign = { ...signedIn, 'x-ms-client-principal': principalOf('11111111-2222-4333-8444-555555555555') };
    expect(login(await serveDashboard(request('/items', foreign), assets, trust))).toBe(true);
    const google = { ...signedIn, 'x-ms-client-principal-idp': 'google' };
    expect(login(await serveDashboard(request('/items', google), assets, trust))).toBe(true);
    expect((await serveDashboard(request('/items', signedIn), assets, trust)).status).toBe(200);
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
      await expect(statusOf(serveDashboard(request(path, signedIn), assets, trust))).resolves.toBe(404);
    }
  });
});
