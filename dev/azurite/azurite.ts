import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** Well-known Azurite development account (public, documented in the Azurite README). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Folder for persisted data; omitted means in-memory (tests). */
  readonly location?: string;
  /** Fixed ports; 0 (the default) lets the OS choose free ones. */
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
}

export interface RunningAzurite {
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  /** The Azurite process (benchmarks read its CPU time). */
  readonly pid: number;
  /** Connection string with explicit endpoints, usable by @azure/data-tables and @azure/storage-blob. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/;

/**
 * Starts Azurite from its npm package as a child process (telemetry off). Resolves once all three
 * services listen, with the ports they actually bound.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--silent',
    '--loose',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--blobHost',
    '127.0.0.1',
    '--queueHost',
    '127.0.0.1',
    '--tableHost',
    '127.0.0.1',
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tablePort',
    String(options.tablePort ?? 0),
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const ports = await waitForPorts(child);
  const blob = `http://127.0.0.1:${ports.Blob}/${AZURITE_ACCOUNT}`;
  const queue = `http://127.0.0.1:${ports.Queue}/${AZURITE_ACCOUNT}`;
  const table = `http://127.0.0.1:${ports.Table}/${AZURITE_ACCOUNT}`;
  return {
    blobPort: ports.Blob,
    queuePort: ports.Queue,
    tablePort: ports.Table,
    pid: child.pid ?? 0,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blob};QueueEndpoint=${queue};TableEndpoint=${table};`,
    stop: () => stopChild(child, options.location !== undefined),
  };
}

function waitForPorts(child: ChildProcess): Promise<Record<'Blob' | 'Queue' | 'Table', number>> {
  return new Promise((resolve, reject) => {
    const found: Partial<Record<'Blob' | 'Queue' | 'Table', number>> = {};
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        const match = LISTENING.exec(line);
        if (match?.[1] && match[2]) found[match[1] as 'Blob' | 'Queue' | 'Table'] = Number(match[2]);
      }
      if (found.Blob && found.Queue && found.Table) {
        child.stdout?.off('data', onData);
        resolve({ Blob: found.Blob, Queue: found.Queue, Table: found.Table });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`Azurite exited with code ${code} before listening:\n${output}`)));
    child.once('error', reject);
  });
}

/**
 * Azurite's own shutdown closes its servers but waits for idle keep-alive sockets and never exits by itself.
 * In-memory data has nothing to save, so it is killed at once; persisted data gets a graceful close first
 * (its metadata is flushed when the servers close), bounded so Ctrl-C never hangs.
 */
function stopChild(child: ChildProcess, persisted: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    let closed = 0;
    const kill = (): boolean => child.kill('SIGKILL');
    const timer = setTimeout(kill, persisted ? 5000 : 0);
    child.stdout?.on('data', (chunk: Buffer) => {
      closed += (chunk.toString().match(/successfully closed/g) ?? []).length;
      if (closed >= 3) kill();
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (persisted) child.kill('SIGINT');
  });
}
