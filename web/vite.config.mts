import { defineConfig } from 'vite';

// The dashboard builds into dist/web, next to the compiled functions, so one deployment package carries both and
// the Function App serves it at `/` (shared/web/static-assets.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true, assetsDir: 'assets' },
});
