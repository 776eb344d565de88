import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditAppender } from '../auth/auth-audit';
import { readAppSetting, type AppSettingName } from '../config/app-settings';
import { queues } from '../config/queues';
import { cloudSettingsFromEnv, createCloudClients } from '../cloud/cloud-clients';
import { createExpiryIndex, EXPIRY_INDEX_TABLE } from '../inventory/expiry-index';
import { createInventoryStore, INVENTORY_TABLE } from '../inventory/inventory-store';
import { createSummaryStore, SUMMARY_TABLE } from '../inventory/inventory-summary';
import { tierLimits } from '../license/license-tiers';
import { thresholdsSetting } from '../notify/notify-settings';
import type { StorageClients } from '../runtime/storage-clients';
import type { SettingsResolver } from '../settings/settings-resolver';
import type { Clock } from '../time/clock';
import type { Tier } from '../license/license-tiers';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from './estate-store';
import { createPostureStore, POSTURE_TABLE } from './posture-store';
import { createRequestBudget } from './request-budget';
import type { ScanBudgetRules, ScanDeps } from './scan-deps';
import type { PublishEvent } from '../events/event-publisher';
import type { SendMessages } from '../runtime/message-sender';
import { appLog } from '../runtime/app-log';
import { createSubscriptionGrants } from '../license/license-ledger';
import { LICENSE_TABLE } from '../license/license-store';
import { createScanStore, SCAN_PROGRESS_TABLE, SCANS_TABLE } from './scan-store';
import { createGrantStore, createSharedBudget, SCAN_BUDGET_TABLE } from './shared-budget';
import {
  createRotationStore,
  ROTATION_INVENTORY_TABLE,
  ROTATION_LOCKS_TABLE,
  ROTATION_RECORDS_TABLE,
  ROTATIONS_TABLE,
} from '../rotation/rotation-store';

const WINDOW_MS = 10_000;
/**
 * Budgets are counted when a request leaves; it reaches the service a little later. A window slightly longer than
 * the service's keeps any 10 s window at the service within the budget despite latency jitter.
 */
const WINDOW_MARGIN_MS = 500;

function positive(name: AppSettingName, env: NodeJS.ProcessEnv): number {
  const value = Number(readAppSetting(name, env));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`App setting ${name} must be a positive number`);
  return value;
}

export function budgetRulesFromEnv(env: NodeJS.ProcessEnv): ScanBudgetRules {
  const rule = (limit: number, shared = false) => ({
    limit: Math.max(1, Math.floor(limit)),
    windowMs: WINDOW_MS + WINDOW_MARGIN_MS,
    shared,
  });
  return {
    // A vault's unit runs on one instance at a time: its budget needs no sharing. A subscription's vaults and its
    // ARM reads are spread over every instance the scan scaled out to.
    perVault: rule(positive('SCAN_VAULT_REQUESTS_PER_10S', env)),
    perSubscription: rule(positive('SCAN_SUBSCRIPTION_REQUESTS_PER_10S', env), true),
    armPerSubscription: rule(positive('SCAN_ARM_READS_PER_10S', env), true),
    // 10% of Graph's 3,500 resource units per 10 s for a small tenant; a $select list page costs 1.
    graph: rule(350),
  };
}

/** What the scan is built from; the composition root (shared/runtime/runtime.ts) supplies it once per process. */
export interface ScanWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly tier: Tier;
  readonly storage: () => StorageClients;
  readonly send: SendMessages;
  readonly publish: PublishEvent;
  readonly settings: SettingsResolver;
  readonly audit: AuditAppender;
}

/** The scan's dependencies, built once per process (one budget shared by every invocation). */
export function createScanDeps(wiring: ScanWiring): ScanDeps {
  const { env, send } = wiring;
  const table = (name: string) => () => wiring.storage().table(name);
  // One time base for budget windows and Retry-After pauses (a monotonic clock anchored at the epoch).
  const wallMs = (): number => performance.timeOrigin + performance.now();
  const subscriptionGrants = createSubscriptionGrants(table(LICENSE_TABLE), wiring.tier);
  return {
    clock: wiring.clock,
    wallMs,
    sleep: (ms) => sleep(ms),
    scans: createScanStore(table(SCANS_TABLE), table(SCAN_PROGRESS_TABLE)),
    estate: createEstateStore(table(SUBSCRIPTIONS_TABLE), table(VAULTS_TABLE)),
    inventory: createInventoryStore(table(INVENTORY_TABLE)),
    // SCAN_POSTURE=false leaves posture out (bench:scan --no-posture measures its cost).
    ...(readAppSetting('SCAN_POSTURE', env) !== 'false' ? { posture: createPostureStore(table(POSTURE_TABLE)) } : {}),
    index: createExpiryIndex(table(EXPIRY_INDEX_TABLE)),
    summary: createSummaryStore(table(SUMMARY_TABLE)),
    cloud: createCloudClients(cloudSettingsFromEnv(env)),
    budget: createSharedBudget({
      local: createRequestBudget({ nowMs: wallMs, sleep: (ms) => sleep(ms) }),
      grants: createGrantStore(table(SCAN_BUDGET_TABLE)),
      nowMs: wallMs,
      sleep: (ms) => sleep(ms),
    }),
    rules: budgetRulesFromEnv(env),
    send: (queue, messages) => send(queues[queue].name, messages),
    publish: wiring.publish,
    thresholds: async () => (await wiring.settings.resolve(thresholdsSetting)).value,
    limits: async () => {
      const limits = tierLimits[wiring.tier];
      return { subscriptionLimit: limits.subscriptionLimit, itemLimit: limits.itemLimit, estate: subscriptionGrants };
    },
    vaultConcurrency: positive('SCAN_VAULT_CONCURRENCY', env),
    deltaMaxAgeHours: positive('SCAN_DELTA_MAX_AGE_HOURS', env),
    itemDetails: readAppSetting('SCAN_ITEM_DETAILS', env) !== 'false',
    log: appLog,
    audit: wiring.audit,
    rotationCoverage: async () => {
      const store = createRotationStore({
        records: table(ROTATION_RECORDS_TABLE),
        rotations: table(ROTATIONS_TABLE),
        locks: table(ROTATION_LOCKS_TABLE),
        inventory: table(ROTATION_INVENTORY_TABLE),
      });
      const records = await store.listRecords();
      return new Map(records.flatMap((r) => (r.keyId ? [[r.keyId, r.id] as const] : [])));
    },
  };
}
