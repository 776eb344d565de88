import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/** What the dashboard route answers for a path: a file with its headers, or a 404. */
export type AssetResponse =
  | { readonly status: 200; readonly body: Buffer; readonly contentType: string; readonly cacheControl: string }
  | { readonly status: 404 };

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built dashboard from `root` (dist/web). Hashed files under /assets are cached for a year; index.html is
 * revalidated every time so a deployment shows at once. A path with a file extension is a file or a 404 — never
 * index.html, which a browser would otherwise try to run as JavaScript. Any other path is a client-side route and
 * gets index.html.
 */
export function createStaticAssets(root: string): { serve(urlPath: string): Promise<AssetResponse> } {
  const base = normalize(root + sep);
  return {
    async serve(urlPath) {
      let path: string;
      try {
        path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
      } catch {
        return { status: 404 }; // malformed escape: no such file
      }
      const isFile = extname(path) !== '';
      const file = normalize(join(base, isFile ? path : 'index.html'));
      if (!file.startsWith(base)) return { status: 404 };
      const contentType = contentTypes[extname(file)];
      if (!contentType) return { status: 404 };
      try {
        const body = await readFile(file);
        const immutable = path.startsWith('/assets/');
        return {
          status: 200,
          body,
          contentType,
          cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        };
      } catch {
        return { status: 404 };
      }
    },
  };
}
