import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAzurite, type RunningAzurite } from '../dev/azurite/azurite';
import { signIn, startHostProcess } from '../dev/host/host-process';
import { startServiceBusEmulator } from '../dev/servicebus/servicebus-emulator';
import { localSettingValues } from '../shared/config/app-settings';
import { queueList } from '../shared/config/queues';
import { topicList } from '../shared/config/topics';

/** The repository root: its package.json `main` is the compiled app. */
const APP_DIR = join(__dirname, '..', '..');

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
  const bus = await startServiceBusEmulator({ queues: queueList, topics: topicList });
  // Layered over this process's environment by startHostProcess.
  const hostEnv = {
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
  const hosts = await Promise.all(
    Array.from({ length: Math.max(1, instances) }, (_, i) =>
      startHostProcess({
        appDir: APP_DIR,
        env: hostEnv,
        args: i > 0 ? ['--no-timers'] : [],
        echo: Boolean(process.env.BENCH_HOST_LOG),
      }),
    ),
  );
  const url = hosts[0]?.url ?? '';
  const cookie = await signIn(url, { email: 'bench@example.com', name: 'Bench', roles: ['admin'] });
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
        ...hosts.map(({ pid }) => {
          const status = readFileSync(`/proc/${pid}/status`, 'utf8');
          return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        }),
      );
    },
    cpuSeconds() {
      const { user, system } = process.cpuUsage();
      return {
        host: hosts.reduce((sum, { pid }) => sum + processCpuSeconds(pid), 0),
        azurite: processCpuSeconds(azurite.pid),
        self: (user + system) / 1e6,
      };
    },
    get: (path) => call('GET', path),
    post: (path) => call('POST', path),
    async stop() {
      await Promise.all(hosts.map((host) => host.stop()));
      await bus.stop();
      await azurite.stop();
    },
  };
}

/** utime + stime of a live process from /proc/<pid>/stat, in seconds (clock ticks are 100 per second on Linux). */
function processCpuSeconds(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** p50 and p99 of `requests` sequential GETs of `path`, after ten warm-up requests (module loads, table clients). */
export async function measure(
  stack: BenchStack,
  path: string,
  requests: number,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i += 1) await stack.get(path);
  const times: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const start = performance.now();
    await stack.get(path);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
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
