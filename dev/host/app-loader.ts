import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { globSync, isDynamicPattern } from 'tinyglobby';

interface PackageJson {
  main?: string;
  type?: string;
}

/**
 * Finds the app's entry files from its package.json `main`, a path or a glob (the worker uses globby the
 * same way). Fails loudly when nothing matches, so a missing build is not mistaken for an empty app.
 */
export function resolveEntryFiles(appDir: string): { files: string[]; isModule: boolean } {
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as PackageJson;
  const main = pkg.main ?? 'index.js';
  const files = isDynamicPattern(main)
    ? globSync(main, { cwd: appDir, absolute: true }).sort()
    : [isAbsolute(main) ? main : resolve(appDir, main)];
  if (files.length === 0) throw new Error(`package.json "main" (${main}) matches no file under ${appDir}.`);
  return { files, isModule: pkg.type === 'module' };
}

/**
 * Loads every entry file in order. CommonJS files go through `require` (and so through the proxied
 * `Module.prototype.require`); ES modules through `import()`, as the worker's loadScriptFile does.
 */
export async function loadEntryFiles(files: readonly string[], isModule: boolean): Promise<void> {
  for (const file of files) {
    if (file.endsWith('.mjs') || (isModule && !file.endsWith('.cjs'))) {
      await import(pathToFileURL(file).href);
    } else {
      createRequire(file)(file);
    }
  }
}
