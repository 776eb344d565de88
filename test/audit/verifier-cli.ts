import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles the verifier folder on its own (no tsconfig, no project paths), which is also the proof that it
 * stands alone, and returns the path of the CLI script.
 */
export function compileVerifier(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'keyward-verify-'));
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '--ignoreConfig',
      '--strict',
      '--target',
      'es2023',
      '--module',
      'node20',
      '--moduleResolution',
      'node16',
      '--types',
      'node',
      '--skipLibCheck',
      '--outDir',
      outDir,
      join(ROOT, 'shared/audit/verify/keyward-verify-audit.ts'),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`tsc failed: ${result.stdout}${result.stderr}`);
  return join(outDir, 'keyward-verify-audit.js');
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI as a child process, the way an auditor would. */
export function runVerifier(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
