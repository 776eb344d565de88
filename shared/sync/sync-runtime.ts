import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditAppender } from '../auth/auth-audit';
import { cloudSettingsFromEnv, createCloudClients, type CloudClients } from '../cloud/cloud-clients';
import { readAppSetting } from '../config/app-settings';
import type { PublishEvent } from '../events/event-publisher';
import type { SendMessages } from '../runtime/message-sender';
import type { StorageClients } from '../runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../scan/estate-store';
import type { Clock } from '../time/clock';
import type { ProviderEndpoints } from './providers/provider-endpoints';
import { keyVaultCredentials, type CredentialVault } from './sync-credentials';
import type { PlannerDeps } from './sync-planner';
import { createProviderFactory, type ProviderFor } from './sync-providers';
import { createRetryBudget } from './sync-retry';
import { keyVaultSource, type SourceReader } from './sync-source';
import {
  createSyncStore,
  SYNC_CONFIGS_TABLE,
  SYNC_HISTORY_TABLE,
  SYNC_RECORDS_TABLE,
  type SyncStore,
} from './sync-store';
import type { SyncWorkerDeps } from './sync-worker';

/** What the composition root gives the sync feature. `cloud` is set by in-process tests (simulator CA). */
export interface SyncWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly storage: () => StorageClients;
  readonly send: SendMessages;
  readonly publish: PublishEvent;
  readonly audit: AuditAppender;
  readonly cloud?: CloudClients;
  /** Waits between retries; tests pass a shorter one. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SyncDeps {
  readonly store: SyncStore;
  readonly credentials: CredentialVault;
  readonly providerFor: ProviderFor;
  readonly source: SourceReader;
  readonly endpoints: ProviderEndpoints;
  readonly planner: PlannerDeps;
  readonly worker: SyncWorkerDeps;
  readonly audit: AuditAppender;
  readonly publish: PublishEvent;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
}

const optional = (value: string): string | null => (value.trim() === '' ? null : value.trim());

export function createSyncDeps(w: SyncWiring): SyncDeps {
  const table = (name: string) => () => w.storage().table(name);
  const store = createSyncStore({
    configs: table(SYNC_CONFIGS_TABLE),
    records: table(SYNC_RECORDS_TABLE),
    history: table(SYNC_HISTORY_TABLE),
  });
  const cloud = w.cloud ?? createCloudClients(cloudSettingsFromEnv(w.env));
  const ownVault = optional(readAppSetting('KEYWARD_VAULT_URI', w.env));
  const credentials = keyVaultCredentials(ownVault ? cloud.secrets(ownVault) : null);
  const endpoints: ProviderEndpoints = {
    aws: optional(readAppSetting('SYNC_AWS_ENDPOINT', w.env)),
    gcp: optional(readAppSetting('SYNC_GCP_ENDPOINT', w.env)),
    localMode: readAppSetting('KEYWARD_LOCAL_MODE', w.env) === 'true',
  };
  // Source vaults are named in rules; their URIs come from the estate the scans recorded (cached for a minute).
  const estate = createEstateStore(table(SUBSCRIPTIONS_TABLE), table(VAULTS_TABLE));
  let vaults: { at: number; byName: Map<string, string> } | undefined;
  const vaultUri = async (name: string): Promise<string | null> => {
    const nowMs = w.clock.now().getTime();
    if (!vaults || nowMs - vaults.at > 60_000) {
      const rows = await estate.listVaults();
      vaults = { at: nowMs, byName: new Map(rows.map((v) => [v.vaultName.toLowerCase(), v.vaultUri])) };
    }
    return vaults.byName.get(name.toLowerCase()) || null;
  };
  const source = keyVaultSource({ cloud, vaultUri });
  const providerFor = createProviderFactory({ endpoints, credentials, cloud });
  const retry = {
    budget: createRetryBudget({ retriesPerMinute: Number(readAppSetting('SYNC_RETRIES_PER_MINUTE', w.env)) }),
    maxAttempts: 6,
    baseMs: 200,
    maxMs: 5_000,
    sleep: w.sleep ?? ((ms: number) => sleep(ms)),
  };
  return {
    store,
    credentials,
    providerFor,
    source,
    endpoints,
    planner: { store, source, providerFor, send: w.send, clock: w.clock },
    worker: { store, providerFor, source, audit: w.audit, publish: w.publish, clock: w.clock, retry },
    audit: w.audit,
    publish: w.publish,
    clock: w.clock,
    env: w.env,
  };
}
