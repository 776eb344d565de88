import { generateKeyPairSync } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startAwsSim, type RunningAwsSim } from '../aws-sim/aws-sim';
import { startAzureSim, type RunningAzureSim, type TenantDocument } from '../azure-sim/azure-sim';
import { useSimIdentityEnv } from '../azure-sim/azure-sim-clients';
import { startAzurite, type RunningAzurite } from '../azurite/azurite';
import { startGcpSim, type RunningGcpSim } from '../gcp-sim/gcp-sim';
import type { AuditAppendInput } from '../../shared/audit/audit-types';
import { createCloudClients, type CloudClients } from '../../shared/cloud/cloud-clients';
import type { EventData, EventType } from '../../shared/events/event-catalog';
import type { OutboundMessage } from '../../shared/runtime/message-sender';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../../shared/scan/estate-store';
import {
  syncMessageSchema,
  type SyncConfigInput,
  type SyncMessage,
  type SyncProviderKind,
} from '../../shared/sync/sync-schemas';
import { createSyncDeps, type SyncDeps } from '../../shared/sync/sync-runtime';
import { processSyncMessage, type WorkOutcome } from '../../shared/sync/sync-worker';
import { systemClock } from '../../shared/time/clock';

/**
 * The sync's real parts in one process: Azurite (tables), the Azure simulator (source, target and Keyward's own
 * vaults), the AWS and GCP simulators, and the feature's own modules wired by `createSyncDeps` with real SDK
 * clients. Two seams are in-process stand-ins, because the worker under test is called directly rather than
 * through the Functions host: the queue (`sent`, drained by `drain()`, which redelivers a thrown message as
 * Service Bus would, up to maxDeliveryCount) and the audit/alert sinks (collected so tests can inspect them).
 * Used by test/sync and bench/sync-bench.ts; test/sync/sync-host.test.ts runs the same feature through the local
 * host, the Service Bus emulator and Azurite instead.
 */
export const SUB = '6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const vault = (name: string) => ({
  name,
  resourceGroup: 'rg-sync',
  access: { model: 'rbac' as const, callerRoles: ['Key Vault Administrator'] },
});
export const syncTenant: TenantDocument = {
  tenantId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  displayName: 'Sync tests',
  caller: {
    objectId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    appId: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
    displayName: 'keyward-identity',
  },
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: 'Sync',
      vaults: [vault('kv-sync-src'), vault('kv-keyward'), vault('kv-sync-dst')],
    },
  ],
} as TenantDocument;

export interface SyncHarness {
  readonly azure: RunningAzureSim;
  readonly aws: RunningAwsSim;
  readonly gcp: RunningGcpSim;
  readonly azurite: RunningAzurite;
  readonly cloud: CloudClients;
  readonly deps: SyncDeps;
  readonly vaultUris: Record<string, string>;
  readonly source: SecretClient;
  readonly sent: OutboundMessage[];
  readonly audits: AuditAppendInput[];
  readonly alerts: EventData<'alert.raised'>[];
  /** A service-account key file (JSON text) with a fresh RSA key; the GCP client signs its own JWT with it. */
  readonly gcpKey: string;
  /** A connection to the provider's simulator (the destination vault for Key Vault) and the credentials it needs. */
  connectionFor(
    provider: SyncProviderKind,
    accessKeyId: string,
  ): Pick<SyncConfigInput, 'connection'> & Partial<Pick<SyncConfigInput, 'credentials'>>;
  /** Runs every queued message through the worker (`concurrency` at a time) until the queue is empty. */
  drain(concurrency?: number): Promise<WorkOutcome[]>;
  stop(): Promise<void>;
}

export async function startSyncHarness(env: Record<string, string> = {}): Promise<SyncHarness> {
  const [azure, aws, gcp, azurite] = await Promise.all([
    startAzureSim({ tenant: syncTenant }),
    startAwsSim(),
    startGcpSim(),
    startAzurite(),
  ]);
  const restoreEnv = useSimIdentityEnv(azure);
  const cloud = createCloudClients(
    { armEndpoint: azure.armEndpoint, graphEndpoint: azure.graphEndpoint, simulator: true, caCertPem: azure.caCertPem },
    new ManagedIdentityCredential(),
  );
  const vaultUris: Record<string, string> = {};
  for (const name of ['kv-sync-src', 'kv-keyward', 'kv-sync-dst']) {
    const v = await cloud.keyVaultManagement(SUB).vaults.get('rg-sync', name);
    vaultUris[name] = v.properties.vaultUri ?? '';
  }
  const appEnv: NodeJS.ProcessEnv = {
    AzureWebJobsStorage: azurite.connectionString,
    KEYWARD_LOCAL_MODE: 'true',
    KEYWARD_VAULT_URI: vaultUris['kv-keyward'],
    SYNC_AWS_ENDPOINT: aws.endpoint,
    SYNC_GCP_ENDPOINT: gcp.endpoint,
    SYNC_RETRIES_PER_MINUTE: '100000',
    ...env,
  };
  const storage = createStorageClients(appEnv);
  // The scans record the estate; here the same store is filled from ARM, as the plan worker does.
  const estate = createEstateStore(
    () => storage.table(SUBSCRIPTIONS_TABLE),
    () => storage.table(VAULTS_TABLE),
  );
  await estate.putVaults(
    Object.entries(vaultUris).map(([vaultName, vaultUri]) => ({
      subscriptionId: SUB,
      subscriptionName: 'Sync',
      vaultName,
      vaultId: `/subscriptions/${SUB}/resourceGroups/rg-sync/providers/Microsoft.KeyVault/vaults/${vaultName}`,
      vaultUri,
      resourceGroup: 'rg-sync',
      location: 'westeurope',
      tags: {},
      rbac: true,
      networkRestricted: false,
    })),
  );
  const sent: OutboundMessage[] = [];
  const audits: AuditAppendInput[] = [];
  const alerts: EventData<'alert.raised'>[] = [];
  const deps = createSyncDeps({
    env: appEnv,
    clock: systemClock,
    storage: () => storage,
    cloud,
    send: async (_entity, messages) => {
      // Service Bus duplicate detection: a message id seen before is dropped.
      for (const m of messages) if (!sent.some((s) => s.messageId === m.messageId)) sent.push(m);
    },
    publish: async <T extends EventType>(type: T, _id: string, data: EventData<T>) => {
      if (type === 'alert.raised') alerts.push(data as EventData<'alert.raised'>);
    },
    audit: { append: async (input) => void audits.push(input) },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gcpKey = JSON.stringify({
    type: 'service_account',
    client_email: 'keyward-sync@sync-project.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    private_key_id: 'kid1',
  });
  let delivered = 0;
  return {
    azure,
    aws,
    gcp,
    azurite,
    cloud,
    deps,
    vaultUris,
    source: cloud.secrets(vaultUris['kv-sync-src'] ?? ''),
    sent,
    audits,
    alerts,
    gcpKey,
    connectionFor(provider, accessKeyId) {
      if (provider.startsWith('aws')) {
        return {
          connection: { aws: { region: 'us-east-1', accessKeyId } },
          credentials: { awsSecretAccessKey: `keyward-secret-access-key-${accessKeyId.slice(-4)}` },
        };
      }
      if (provider.startsWith('gcp')) {
        return {
          connection: { gcp: { projectId: 'sync-project', location: 'global' } },
          credentials: { gcpServiceAccountKey: gcpKey },
        };
      }
      return { connection: { keyVault: { vaultUri: vaultUris['kv-sync-dst'] ?? '' } } };
    },
    async drain(concurrency = 1) {
      const outcomes: WorkOutcome[] = [];
      const deliver = async (message: SyncMessage): Promise<void> => {
        for (let delivery = 1; ; delivery++) {
          try {
            outcomes.push(await processSyncMessage(deps.worker, message, { finalAttempt: delivery >= 10 }));
            return;
          } catch (error) {
            if (delivery >= 10) throw error;
          }
        }
      };
      const lane = async (): Promise<void> => {
        while (delivered < sent.length) {
          const message: SyncMessage = syncMessageSchema.parse(sent[delivered]?.body);
          delivered += 1;
          await deliver(message);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return outcomes;
    },
    async stop() {
      restoreEnv();
      await Promise.allSettled([azure.stop(), aws.stop(), gcp.stop(), azurite.stop()]);
    },
  };
}
