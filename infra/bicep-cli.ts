import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** How to get the Bicep CLI here: NuGet is the only source these machines (and CI) reach. */
export const GET_BICEP_HINT =
  'Bicep CLI not found: run `bash infra/get-bicep.sh` (restores Azure.Bicep.CommandLine.linux-x64 from NuGet into .tools/bicep/) or set BICEP_PATH.';

/** The real Bicep CLI: `BICEP_PATH`, else the one `infra/get-bicep.sh` restored; undefined when neither exists. */
export function findBicep(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env['BICEP_PATH'], join(repoRoot(), '.tools', 'bicep', 'bicep')];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

export interface BicepRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBicep(bicep: string, args: readonly string[]): BicepRun {
  const run = spawnSync(bicep, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Bicep's warnings and errors in its output, one per line (it exits 0 on warnings, so read them). */
export function diagnostics(run: BicepRun): string[] {
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /: (Warning|Error) /.test(line));
}

/** Compiles a Bicep file to ARM JSON; throws with Bicep's diagnostics when it reports any error. */
export function buildTemplate(bicep: string, file: string): string {
  const run = runBicep(bicep, ['build', file, '--stdout']);
  if (run.status !== 0) throw new Error(`bicep build ${file} failed:\n${run.stderr}`);
  return run.stdout;
}
