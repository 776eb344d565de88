import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../infra/repo-root';

// Runs the import-cycle check of `npm run cycles` (dependency-cruiser with the repository's .dependency-cruiser.cjs)
// against the fixtures in dev/cycles/fixtures: it must name a cycle where two files import each other, count a cycle
// that is type-only on one side, and pass a pair whose imports point one way.

const root = repoRoot(__dirname);
const config = '.dependency-cruiser.cjs';
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

interface CheckResult {
  exitCode: number;
  output: string;
}

async function runCheck(paths: string[], options: { fixtures: boolean }): Promise<CheckResult> {
  const env = { ...process.env, KEYWARD_CYCLES_FIXTURES: options.fixtures ? '1' : '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [depcruise, '--config', config, '--output-type', 'err', ...paths],
      { cwd: root, env },
    );
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('import-cycle check', () => {
  it('is the check `npm run cycles` runs, with the same config', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.cycles?.split(' ').slice(0, 3)).toEqual(['depcruise', '--config', config]);
    expect(scripts.test).toMatch(/npm run cycles/);
  });

  it('fails on two files that import each other and names the cycle', async () => {
    const result = await runCheck(['dev/cycles/fixtures/cyclic'], { fixtures: true });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('no-circular');
    expect(result.output).toMatch(
      /dev\/cycles\/fixtures\/cyclic\/ping\.ts →\s+dev\/cycles\/fixtures\/cyclic\/pong\.ts →\s+dev\/cycles\/fixtures\/cyclic\/ping\.ts/,
    );
  });

  it('counts a cycle whose one side is an `import type`', async () => {
    const result = await runCheck(['dev/cycles/fixtures/type-only-cyclic'], { fixtures: true });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(
      /type-only-cyclic\/account\.ts →\s+dev\/cycles\/fixtures\/type-only-cyclic\/owner\.ts →\s+dev\/cycles\/fixtures\/type-only-cyclic\/account\.ts/,
    );
  });

  it('passes files whose imports point one way', async () => {
    const result = await runCheck(['dev/cycles/fixtures/acyclic'], { fixtures: true });
    expect(result).toEqual({ exitCode: 0, output: expect.stringContaining('no dependency violations found') });
    // Both files were read (a pass over nothing would prove nothing).
    expect(result.output).toContain('2 modules, 1 dependencies cruised');
  });

  it('leaves the fixtures out of the real check', async () => {
    const result = await runCheck(['dev/cycles/fixtures'], { fixtures: false });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('0 modules, 0 dependencies cruised');
  });
});
