import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAzurite, type RunningAzurite } from '../dev/azurite/azurite';
import { startServiceBusEmulator } from '../dev/servicebus/servicebus-emulator';
import { localSettingValues } from '../shared/config/app-settings';
import { queueList } from '../shared/config/queues';

/** The repository root: its package.json `main` is the compiled app. */
const APP_DIR = join(__dirname, '..', '..');
const HOST_CLI = join(APP_DIR, 'dist', 'dev', 'host', 'host-cli.js');

export interface BenchStack {
  readonly url: string;
  readonly azurite: RunningAzurite;
  readonly cookie: string;
  /** Peak resident set size so far (VmHWM) of the largest host process, in MiB. */
  hostPeakRssMiB(): number;
  /** CPU seconds used so far by the hosts (together), by Azurite and by this process (simulator, bus, driver). */
  cpuSeconds(): { host: number; azurite: number; self: number };
  get<T>(path: string): Promise<T>;
  post<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Azurite + the Service Bus emulator + `instances` local Functions hosts on the compiled app (`npm run build` first),
 * signed in as an admin on the first. Benchmarks run on this machine only: every port is a free loopback port.
 */
export async function startBenchStack(env: Record<string, string>, instances = 1): Promise<BenchStack> {
  const azurite = await startAzurite();
  const bus = await startServiceBusEmulator({ queues: queueList });
  const hostEnv = {
    ...process.env,
    ...localSettingValues(),
    // No alert channel: the benchmarks measure the scan and the API, not deliveries to a mail server not running.
    NOTIFY_DEFAULT_EMAIL: '',
    // One session secret for every instance, as App Service shares it: a cookie from one is valid on all.
    KEYWARD_HOST_AUTH_SECRET: randomBytes(32).toString('hex'),
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: bus.connectionString,
    KEYWARD_TIER: 'enterprise',
    // The benchmark calls the API far faster than a person; the per-caller limit is not what it measures.
    KEYWARD_RATE_LIMIT_READ: '1000000',
    KEYWARD_RATE_LIMIT_EXPENSIVE: '1000',
    ...env,
  };
  // Instances after the first are a scaled-out app's further instances: same storage and queues, no timers.
  const hosts = await Promise.all(Array.from({ length: Math.max(1, instances) }, (_, i) => startHost(hostEnv, i > 0)));
  const url = hosts[0]?.url ?? '';
  const login = await fetch(`${url}/.auth/login/aad?user=bench@example.com&name=Bench&roles=admin`, {
    redirect: 'manual',
  });
  const cookie =
    (login.headers.getSetCookie().find((c) => c.startsWith('AppServiceAuthSession=')) ?? '').split(';')[0] ?? '';
  const call = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { method, headers: { cookie } });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    url,
    azurite,
    cookie,
    hostPeakRssMiB() {
      return Math.max(
        ...hosts.map(({ child }) => {
          const status = readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8');
          return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        }),
      );
    },
    cpuSeconds() {
      const { user, system } = process.cpuUsage();
      return {
        host: hosts.reduce((sum, { child }) => sum + processCpuSeconds(child.pid), 0),
        azurite: processCpuSeconds(azurite.pid),
        self: (user + system) / 1e6,
      };
    },
    get: (path) => call('GET', path),
    post: (path) => call('POST', path),
    async stop() {
      await Promise.all(
        hosts.map(async ({ child }) => {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(killer);
        }),
      );
      await bus.stop();
      await azurite.stop();
    },
  };
}

/** One local Functions host on the compiled app; resolves with its URL once it listens. */
async function startHost(env: NodeJS.ProcessEnv, further: boolean): Promise<{ child: ChildProcess; url: string }> {
  const args = [HOST_CLI, '--app', APP_DIR, '--port', '0', ...(further ? ['--no-timers'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env.BENCH_HOST_LOG) process.stdout.write(chunk);
      const match = /Keyward host listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
  return { child, url };
}

/** utime + stime of a live process from /proc/<pid>/stat, in seconds (clock ticks are 100 per second on Linux). */
function processCpuSeconds(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Highest number of events in any window of `windowMs` (events as epoch ms, any order). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < t.length; end += 1) {
    while ((t[end] ?? 0) - (t[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
