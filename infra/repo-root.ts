import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (the folder holding azuredeploy.bicep), whether running from infra/ or dist/infra/. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'azuredeploy.bicep'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`azuredeploy.bicep not found above ${from}`);
    dir = parent;
  }
  return dir;
}
