import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditAppender } from '../auth/auth-audit';
import { cloudSettingsFromEnv, createCloudClients, type CloudSettings } from '../cloud/cloud-clients';
import { readAppSetting } from '../config/app-settings';
import { queues } from '../config/queues';
import type { PublishEvent } from '../events/event-publisher';
import type { QuotaLedger } from '../license/license-quota';
import { tierLimits, type Tier } from '../license/license-tiers';
import { appLog } from '../runtime/app-log';
import type { SendMessages } from '../runtime/message-sender';
import type { StorageClients } from '../runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../scan/estate-store';
import type { Clock } from '../time/clock';
import { createRotationCloud } from './rotation-cloud';
import { createRotationMachine, type RotationMachineDeps } from './rotation-machine';
import { createRotationScheduler } from './rotation-scheduler';
import { createRotationService } from './rotation-service';
import {
  createRotationStore,
  ROTATION_INVENTORY_TABLE,
  ROTATION_LOCKS_TABLE,
  ROTATION_RECORDS_TABLE,
  ROTATIONS_TABLE,
} from './rotation-store';
import { createCertificateVerifier, createSecretVerifier } from './rotation-verify';

/** What rotation is built from; the composition root (shared/runtime/runtime.ts) supplies it once per process. */
export interface RotationWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly tier: Tier;
  readonly storage: () => StorageClients;
  readonly send: SendMessages;
  readonly publish: PublishEvent;
  readonly audit: AuditAppender;
  readonly quotas: QuotaLedger;
  /** Crash-injection seam of the state machine (tests only; see RotationMachineDeps.checkpoint). */
  readonly checkpoint?: RotationMachineDeps['checkpoint'];
  /** Cloud settings instead of the app settings' (in-process tests add the simulator's CA). */
  readonly cloudSettings?: CloudSettings;
}

function positive(name: 'ROTATION_VERIFY_ATTEMPTS' | 'ROTATION_VERIFY_BACKOFF_MS', env: NodeJS.ProcessEnv): number {
  const value = Number(readAppSetting(name, env));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`App setting ${name} must be a positive integer`);
  return value;
}

export function createRotationServices(wiring: RotationWiring) {
  const { env, clock } = wiring;
  const table = (name: string) => () => wiring.storage().table(name);
  const store = createRotationStore({
    records: table(ROTATION_RECORDS_TABLE),
    rotations: table(ROTATIONS_TABLE),
    locks: table(ROTATION_LOCKS_TABLE),
    inventory: table(ROTATION_INVENTORY_TABLE),
  });
  const settings = wiring.cloudSettings ?? cloudSettingsFromEnv(env);
  const cloud = createRotationCloud(createCloudClients(settings));
  const enqueue = (rotationId: string, messageId = rotationId) =>
    wiring.send(queues.rotation.name, [{ messageId, body: { rotationId } }]);
  const estate = createEstateStore(table(SUBSCRIPTIONS_TABLE), table(VAULTS_TABLE));
  const service = createRotationService({
    store,
    cloud,
    audit: wiring.audit,
    quotas: wiring.quotas,
    clock,
    enqueue,
    simulator: settings.simulator,
    knownVaults: async () => (await estate.listVaults()).map((v) => v.vaultUri).filter(Boolean),
  });
  const verifyDeps = {
    authorityHost: readAppSetting('KEYWARD_AUTHORITY_HOST', env).replace(/\/+$/, ''),
    ...(settings.caCertPem ? { tlsOptions: { ca: settings.caCertPem } } : {}),
    schedule: {
      attempts: positive('ROTATION_VERIFY_ATTEMPTS', env),
      firstWaitMs: positive('ROTATION_VERIFY_BACKOFF_MS', env),
    },
    sleep: (ms: number) => sleep(ms),
  };
  const machine = createRotationMachine({
    store,
    cloud,
    verify: createSecretVerifier(verifyDeps),
    verifyCertificate: createCertificateVerifier(verifyDeps),
    audit: wiring.audit,
    publish: wiring.publish,
    clock,
    log: appLog,
    ...(wiring.checkpoint ? { checkpoint: wiring.checkpoint } : {}),
  });
  const scheduler = createRotationScheduler({
    store,
    service,
    enqueue,
    publish: wiring.publish,
    clock,
    automatic: tierLimits[wiring.tier].automaticRotation,
    log: appLog,
  });
  return { store, cloud, service, machine, scheduler };
}

export type RotationServices = ReturnType<typeof createRotationServices>;
