import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

// Compiled, this file sits beside host-cli.js; loaded from source (jest), the compiled CLI is under dist/.
const HOST_CLI = __dirname.split(sep).includes('dist')
  ? join(__dirname, 'host-cli.js')
  : join(__dirname, '..', '..', 'dist', 'dev', 'host', 'host-cli.js');
const READY = /Keyward host listening on (http:\/\/127\.0\.0\.1:\d+)/;

export interface HostProcessOptions {
  /** Folder holding the app's package.json (its `main` must point at compiled JavaScript). */
  readonly appDir: string;
  /** App settings, layered over this process's environment. */
  readonly env?: Record<string, string>;
  /** 0 (the default) lets the OS pick a free port. */
  readonly port?: number;
  /** Extra host-cli arguments, e.g. `['--auth-settings', file]`. */
  readonly args?: readonly string[];
  /** Also copy the host's stdout to this process's (to watch a benchmark's host). */
  readonly echo?: boolean;
}

export interface HostProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The host's process id (benchmarks read its CPU time and peak memory from /proc). */
  readonly pid: number;
  /** SIGTERM, then waits for the graceful exit (SIGKILL after 30 s). Safe to call twice. */
  stop(): Promise<void>;
  /** Everything the host printed so far (stdout and stderr). */
  output(): string;
  /** The exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

/**
 * Runs the compiled local host (`npm run build` first) as a child process: tests load the app through Node's real
 * module system that way (jest's does not go through Module.prototype.require), benchmarks measure it as a process
 * of its own. Resolves on the ready line; rejects with the output if the host exits or is not ready within 60 s.
 */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  if (!existsSync(HOST_CLI)) throw new Error(`${HOST_CLI} is missing: run "npm run build" first.`);
  const args = [
    HOST_CLI,
    '--app',
    resolve(options.appDir),
    '--port',
    String(options.port ?? 0),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, KEYWARD_HOST_AUTH_SECRET: randomBytes(32).toString('hex'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const url = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => fail(new Error(`Host not ready after 60 s:\n${output}`)), 60_000);
    const onData = (): void => {
      const match = READY.exec(output);
      if (match?.[1]) {
        cleanup();
        resolveReady(match[1]);
      }
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`Host exited (${code}) before it was ready:\n${output}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    const fail = (error: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  return { url, pid: child.pid ?? 0, exited, output: () => output, stop: () => (stopping ??= stop()) };
}

export interface SignInUser {
  readonly email: string;
  readonly name?: string;
  readonly roles?: readonly string[];
}

/**
 * Signs in through the host's non-interactive EasyAuth URL and returns the `Cookie` header value
 * (`AppServiceAuthSession=…`) to send with later requests.
 */
export async function signIn(url: string, user: SignInUser): Promise<string> {
  const query = new URLSearchParams({
    user: user.email,
    name: user.name ?? user.email,
    roles: (user.roles ?? []).join(','),
  });
  const response = await fetch(`${url}/.auth/login/aad?${query.toString()}`, { redirect: 'manual' });
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('AppServiceAuthSession='));
  if (response.status !== 302 || !cookie) throw new Error(`Sign-in failed with HTTP ${response.status}.`);
  return cookie.split(';')[0] ?? cookie;
}
