import { startAzureSim, type AzureSimOptions, type RunningAzureSim } from '../../dev/azure-sim/azure-sim';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

export interface ScanStack {
  readonly sim: RunningAzureSim;
  readonly stack: KeywardStack;
  readonly cookie: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Polls the discovery API until the scan completes; fails after `timeoutMs`. */
  waitForScan(scanId: string, timeoutMs?: number): Promise<ScanDetail>;
  stop(): Promise<void>;
}

export interface ScanDetail {
  scanId: string;
  status: string;
  completedAt: string | null;
  itemsScanned: number;
  counts: Record<string, number>;
  outcomes: Record<string, number>;
  progress: { planned: boolean; vaultsDone: number; vaultsTotal: number };
  units: { unitKey: string; vaultName: string | null; outcome: string; items: number; deniedKinds: string[] }[];
}

/** The Azure simulator + Azurite + the Service Bus emulator + the host on the compiled app, signed in as admin. */
export async function startScanStack(
  sim: AzureSimOptions,
  env: Record<string, string> = {},
  lockSeconds?: Readonly<Record<string, number>>,
): Promise<ScanStack> {
  const running = await startAzureSim(sim);
  let stack: KeywardStack;
  try {
    stack = await startKeywardStack({
      env: { ...running.env(), KEYWARD_TIER: 'enterprise', ...env },
      ...(lockSeconds ? { lockSeconds } : {}),
    });
  } catch (error) {
    await running.stop();
    throw error;
  }
  const cookie = await stack.signIn({ email: 'scan.admin@example.com', roles: ['admin'] });
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.url}${path}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    sim: running,
    stack,
    cookie,
    get,
    async post<T>(path: string, body?: unknown) {
      const response = await fetch(`${stack.url}${path}`, {
        method: 'POST',
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async waitForScan(scanId, timeoutMs = 100_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const scan = await get<ScanDetail>(`/api/assets/discovery/scans/${scanId}`);
        if (scan.status === 'completed') return scan;
        if (Date.now() > until) {
          throw new Error(
            `scan ${scanId} not completed: ${JSON.stringify(scan.progress)}\n${stack.host.output().slice(-3000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      await stack.stop();
      await running.stop();
    },
  };
}
