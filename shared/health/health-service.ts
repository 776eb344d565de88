import type { ServiceBusClient } from '@azure/service-bus';
import { queueList } from '../config/queues';
import type { StorageClients } from '../runtime/storage-clients';

export type CheckStatus = 'reachable' | 'unreachable';
export type HealthChecks = Record<'tableStorage' | 'blobStorage' | 'serviceBus', CheckStatus>;

export interface HealthReport {
  readonly status: 'healthy' | 'degraded';
  readonly checks: HealthChecks;
}

export interface HealthService {
  check(): Promise<HealthReport>;
}

/** Runs `probe` with an abort signal and a time limit; any failure or timeout counts as unreachable. */
async function bounded(timeoutMs: number, probe: (signal: AbortSignal) => Promise<unknown>): Promise<CheckStatus> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckStatus>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('unreachable');
    }, timeoutMs);
  });
  const attempt = probe(controller.signal).then(
    (): CheckStatus => 'reachable',
    (): CheckStatus => 'unreachable',
  );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Probes each dependency the way the app uses it: a table listing, the blob service properties and a
 * Service Bus peek on the first queue (which opens the AMQP connection and a link). Each has its own limit.
 */
export function createHealthService(deps: {
  storage: () => StorageClients;
  serviceBus: () => ServiceBusClient;
  timeoutMs: number;
}): HealthService {
  const peekQueue = queueList[0]?.name ?? 'scan-plan';
  return {
    async check() {
      const [tableStorage, blobStorage, serviceBus] = await Promise.all([
        bounded(deps.timeoutMs, (abortSignal) =>
          deps.storage().tableService().listTables({ abortSignal }).byPage({ maxPageSize: 1 }).next(),
        ),
        bounded(deps.timeoutMs, (abortSignal) => deps.storage().blobService().getProperties({ abortSignal })),
        bounded(deps.timeoutMs, async (abortSignal) => {
          const receiver = deps.serviceBus().createReceiver(peekQueue);
          try {
            await receiver.peekMessages(1, { abortSignal });
          } finally {
            await receiver.close().catch(() => undefined);
          }
        }),
      ]);
      const checks: HealthChecks = { tableStorage, blobStorage, serviceBus };
      const healthy = Object.values(checks).every((status) => status === 'reachable');
      return { status: healthy ? 'healthy' : 'degraded', checks };
    },
  };
}
