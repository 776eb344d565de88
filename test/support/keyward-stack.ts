import { TableServiceClient, TableClient } from '@azure/data-tables';
import { join } from 'node:path';
import { startAzureSim } from '../../dev/azure-sim/azure-sim';
import { NO_ESTATE_TENANT } from '../../dev/azure-sim/keyward-vault';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { startServiceBusEmulator, type RunningServiceBusEmulator } from '../../dev/servicebus/servicebus-emulator';
import { localSettingValues } from '../../shared/config/app-settings';
import { queueList } from '../../shared/config/queues';
import { topicList } from '../../shared/config/topics';
import { signIn, startHostProcess, type HostProcess, type SignInUser } from '../../dev/host/host-process';

/** The repository root: its package.json `main` is the compiled app (`npm run build` first). */
export const APP_DIR = join(__dirname, '..', '..');

export interface KeywardStackOptions {
  /** App settings over the stack's own (declared local values, storage and Service Bus connections, tier trial). */
  readonly env?: Record<string, string>;
  /** Runs against the fresh Azurite before the host starts, e.g. to seed a trial start. */
  readonly seed?: (storageConnectionString: string) => Promise<void>;
  /**
   * Peek-lock durations (seconds) by queue name over those of `shared/config/queues.ts`, so a test of lock expiry
   * does not wait the production five minutes; the emulator reads them from the queue list as Service Bus does.
   */
  readonly lockSeconds?: Readonly<Record<string, number>>;
}

export interface KeywardStack {
  /** `http://127.0.0.1:<port>` of the host. */
  readonly url: string;
  readonly azurite: RunningAzurite;
  readonly serviceBus: RunningServiceBusEmulator;
  readonly host: HostProcess;
  /** The app settings the host runs with. */
  readonly env: Readonly<Record<string, string>>;
  /** Signs in through the host's EasyAuth emulation; returns the Cookie header value. */
  signIn(user: SignInUser): Promise<string>;
  /**
   * Every entity of every non-empty table, without timestamps and etags, sorted: compare before/after.
   * Empty tables are left out, because stores create their tables on first use.
   */
  snapshotTables(): Promise<Record<string, unknown[]>>;
  stop(): Promise<void>;
}

/**
 * Azurite + the Service Bus emulator + the local host running the compiled app, wired by app settings the
 * way Azure wires them. Each call gets its own instances on free ports; stop() ends all three.
 */
export async function startKeywardStack(options: KeywardStackOptions = {}): Promise<KeywardStack> {
  const azurite = await startAzurite();
  const stops: (() => Promise<void>)[] = [() => azurite.stop()];
  const stopAll = async (): Promise<void> => {
    // Every part is stopped even when one fails; a failure is said (a part left running keeps jest from exiting).
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => console.warn(`stopping a stack part failed: ${String(error)}`));
    }
  };
  try {
    const queues = queueList.map((q) => ({
      ...q,
      lockDurationSeconds: options.lockSeconds?.[q.name] ?? q.lockDurationSeconds,
    }));
    const serviceBus = await startServiceBusEmulator({ queues, topics: topicList });
    stops.push(() => serviceBus.stop());
    await options.seed?.(azurite.connectionString);
    // Audit manifests and checkpoints are signed in Key Vault: without a simulator of the caller's, one with an
    // empty estate serves Keyward's own vault and its signing key (dev/azure-sim/keyward-vault.ts).
    let signing: Record<string, string> = {};
    if (!options.env?.AUDIT_SIGNING_KEY_ID) {
      const sim = await startAzureSim({ tenant: NO_ESTATE_TENANT });
      stops.push(() => sim.stop());
      signing = sim.env();
    }
    const env: Record<string, string> = {
      ...localSettingValues(),
      ...signing,
      AzureWebJobsStorage: azurite.connectionString,
      ServiceBusConnection: serviceBus.connectionString,
      KEYWARD_TIER: 'trial',
      ...options.env,
    };
    const host = await startHostProcess({ appDir: APP_DIR, env });
    stops.push(() => host.stop());
    const tables = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    return {
      url: host.url,
      azurite,
      serviceBus,
      host,
      env,
      signIn: (user) => signIn(host.url, user),
      async snapshotTables() {
        const snapshot: Record<string, unknown[]> = {};
        for await (const table of tables.listTables()) {
          const name = table.name ?? '';
          const client = TableClient.fromConnectionString(azurite.connectionString, name, {
            allowInsecureConnection: true,
          });
          const rows: unknown[] = [];
          for await (const entity of client.listEntities()) {
            const { etag: _etag, timestamp: _timestamp, ...data } = entity as Record<string, unknown>;
            rows.push(data);
          }
          if (rows.length > 0) snapshot[name] = rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        }
        return snapshot;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
