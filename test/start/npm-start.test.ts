import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

// `npm start` as a user runs it (after `npm run build`, which `npm test` has done): the whole local product comes
// up, /api/health answers 200, and Ctrl-C (SIGINT) takes every process down with it.
const repoRoot = join(__dirname, '..', '..');

function waitForUrl(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = /Open\s+(http:\/\/\S+?)\/?\s/.exec(output.text);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.text}`)));
  });
}

describe('npm start', () => {
  it('brings up the product with /api/health at 200 and stops everything on Ctrl-C', async () => {
    const output = { text: '' };
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'dist', 'dev', 'start.js'), '--free-ports', '--in-memory', '--port', '0'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await waitForUrl(child, output);
      const health = await fetch(`${url}/api/health`);
      const body = (await health.json()) as { status: string; checks: Record<string, unknown> };
      expect(health.status).toBe(200);
      expect(body.status).toBe('healthy');
      expect(Object.keys(body.checks).sort()).toEqual(['blobStorage', 'serviceBus', 'tableStorage']);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start on a busy port and names it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const child = spawn(
        process.execPath,
        [join(repoRoot, 'dist', 'dev', 'start.js'), '--free-ports', '--in-memory', '--port', String(port)],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(text).toContain(`Port ${port} (Functions host) is already in use`);
    } finally {
      blocker.close();
    }
  });
});
