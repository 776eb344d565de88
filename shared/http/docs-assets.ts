import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { redocAssets, swaggerAssets } from './docs-routes';

type Asset = (typeof swaggerAssets)[number] | (typeof redocAssets)[number];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

export const contentTypeOf = (file: string): string => contentTypes[path.extname(file)] ?? 'application/octet-stream';

// Our own initializers replace swagger-ui-dist's, which points at the petstore; both load from 'self' only
// (no inline script, so the CSP needs no 'unsafe-inline' for scripts).
const generated: Partial<Record<Asset, string>> = {
  'swagger-initializer.js':
    "window.onload = function () {\n  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,\n" +
    '    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });\n};\n',
  'redoc-init.js': "Redoc.init('/openapi.json', { disableSearch: false }, document.getElementById('redoc'));\n",
};

export const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyward API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/swagger-initializer.js"></script></body></html>
`;

/** ReDoc 2.x: its standalone bundle has no telemetry (that arrived in 3.x), so there is nothing to switch off. */
export const redocPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyward API reference</title></head>
<body><div id="redoc"></div>
<script src="/redoc/assets/redoc.standalone.js"></script>
<script src="/redoc/assets/redoc-init.js"></script></body></html>
`;

function packageFile(file: Asset): string {
  if (file === 'redoc.standalone.js') return require.resolve('redoc/bundles/redoc.standalone.js');
  return path.join(path.dirname(require.resolve('swagger-ui-dist/package.json')), file);
}

const cache = new Map<Asset, Promise<Buffer>>();

/** An asset's bytes from the installed packages (read once), or our generated initializers. */
export function readAsset(file: Asset): Promise<Buffer> {
  const text = generated[file];
  if (text !== undefined) return Promise.resolve(Buffer.from(text));
  let bytes = cache.get(file);
  if (!bytes) {
    bytes = readFile(packageFile(file));
    cache.set(file, bytes);
  }
  return bytes;
}
