import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaticAssets } from './static-assets';

describe('createStaticAssets', () => {
  const root = mkdtempSync(join(tmpdir(), 'keyward-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keyward</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(tmpdir(), 'outside.txt'), 'secret');
  const assets = createStaticAssets(root);

  it('serves hashed assets with their MIME type and a long immutable cache', async () => {
    const res = await assets.serve('/assets/index-abc123.js');
    expect(res).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8' });
    expect(res.status === 200 && res.cacheControl).toBe('public, max-age=31536000, immutable');
  });

  it('falls back to index.html, revalidated, for client routes', async () => {
    for (const path of ['/', '/items', '/settings/thresholds?tab=1']) {
      const res = await assets.serve(path);
      expect(res.status === 200 && res.body.toString()).toContain('<title>Keyward</title>');
      expect(res.status === 200 && res.cacheControl).toBe('no-cache');
    }
  });

  it('answers 404 for a missing file instead of serving index.html as script', async () => {
    expect(await assets.serve('/assets/missing-123.js')).toEqual({ status: 404 });
    expect(await assets.serve('/robots.php')).toEqual({ status: 404 });
  });

  it('answers 404 for a malformed escape instead of failing', async () => {
    expect(await assets.serve('/assets/%E0%A4%A.js')).toEqual({ status: 404 });
  });

  it('never leaves its folder', async () => {
    expect(await assets.serve('/../outside.txt')).toEqual({ status: 404 });
    expect(await assets.serve('/%2e%2e/outside.txt')).toEqual({ status: 404 });
  });
});
