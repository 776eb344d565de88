import type { ServiceBusClient } from '@azure/service-bus';
import type { AuditService } from '../audit/audit-service';
import type { AuditAppendInput } from '../audit/audit-types';
import type { ComplianceServices } from '../compliance/compliance-runtime';
import { createEventPublisher, type PublishEvent } from '../events/event-publisher';
import type { NotifyServices } from '../notify/notify-runtime';
import type { ScanDeps } from '../scan/scan-deps';
import type { RotationServices } from '../rotation/rotation-runtime';
import type { SyncDeps } from '../sync/sync-runtime';
import { readAppSetting } from '../config/app-settings';
import { createApiKeyService, type ApiKeyService } from '../auth/api-key-service';
import { API_KEYS_TABLE, createApiKeyStore } from '../auth/api-key-store';
import { createIdentityResolver, parseBootstrapAdmins, type IdentityResolver } from '../auth/identity-resolver';
import { createUserRoleStore, USER_ROLES_TABLE, type UserRoleStore } from '../auth/user-role-store';
import { createHealthService, type HealthService } from '../health/health-service';
import { cachedHealth } from '../health/health-cache';
import { createRateLimiter, type RateLimiter } from '../http/rate-limiter';
import { forwardedForTrusted } from '../http/client-address';
import { runsInAppService } from '../http/app-service-platform';
import { createLicenseService, type LicenseService } from '../license/license-service';
import { createLicenseStore, LICENSE_TABLE } from '../license/license-store';
import { createLicenseLedger } from '../license/license-ledger';
import { createQuotaLedger, type QuotaLedger } from '../license/license-quota';
import { createScheduledWorkGuard, type ScheduledWorkGuard } from '../license/scheduled-work-guard';
import { isTier, tiers, type Tier } from '../license/license-tiers';
import { createSettingsResolver, type SettingsResolver } from '../settings/settings-resolver';
import { createSettingsStore, SETTINGS_TABLE, type SettingsStore } from '../settings/settings-store';
import { systemClock, type Clock } from '../time/clock';
import { createMalformedStore, MALFORMED_TABLE, type MalformedStore } from '../system/malformed-store';
import { traceProperties } from '../telemetry/trace-context';
import { appLog } from './app-log';
import { appVersion } from './app-version';
import { lazyServiceBusClient } from './service-bus-client';
import { createMessageSender, type SendMessages } from './message-sender';
import { createStorageClients, type StorageClients } from './storage-clients';

/** Settings read once at start-up. */
export interface RuntimeConfig {
  readonly tier: Tier;
  readonly version: string;
  readonly licenseUrl: string;
  readonly maxBodyBytes: number;
  readonly bootstrapAdmins: readonly string[];
  /** X-Forwarded-For was written by a front end Keyward trusts (shared/http/client-address.ts). */
  readonly trustForwardedFor?: boolean;
}

/**
 * Everything a handler or worker may use, built once per process by `createRuntime`, the one composition root.
 * Features receive the few parts they use (narrow wiring types), never the runtime itself; the heavier feature
 * services (audit, scan, notify) are built on first use, so a cold start that serves /health loads none of them.
 */
export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly config: RuntimeConfig;
  readonly storage: () => StorageClients;
  readonly serviceBus: () => ServiceBusClient;
  readonly identity: IdentityResolver;
  readonly apiKeys: ApiKeyService;
  readonly userRoles: UserRoleStore;
  readonly license: LicenseService;
  /** Counted allowances of the tier (trial manual rotations), spent by the routes that declare them. */
  readonly quotas: QuotaLedger;
  /** Asked by timers and queue workers before licensed work: false after the trial (shared/license). */
  readonly scheduledWork: ScheduledWorkGuard;
  readonly rateLimiter: RateLimiter;
  readonly settings: SettingsResolver;
  readonly settingsStore: SettingsStore;
  readonly health: HealthService;
  /** Why refused messages were malformed, for the dead-letter listing. */
  readonly malformed: MalformedStore;
  /** Sends to any queue or topic, with the invocation's correlation id. */
  readonly send: SendMessages;
  /** Publishes a domain event from the catalogue to its topic. */
  readonly publish: PublishEvent;
  audit(): Promise<AuditService>;
  scan(): ScanDeps;
  notify(): NotifyServices;
  compliance(): ComplianceServices;
  rotation(): RotationServices;
  sync(): SyncDeps;
}

/** Builds a value on first call, then returns it; a rejected promise is forgotten so the next call retries. */
function once<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    if (!value) {
      const built = { v: build() };
      if (built.v instanceof Promise) built.v.catch(() => (value = undefined));
      value = built;
    }
    return value.v;
  };
}

function positiveInt(name: Parameters<typeof readAppSetting>[0], env: NodeJS.ProcessEnv): number {
  const value = Number(readAppSetting(name, env));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`App setting ${name} must be a positive integer`);
  return value;
}

/**
 * KEYWARD_LOCAL_MODE loosens the outbound guard (http to loopback) for a laptop's mail sink and webhook receiver and
 * makes the app trust the local host's X-Forwarded-For. In App Service it would only be a mistake or an attack on
 * the settings, so the app refuses to start rather than run with it.
 */
function refuseLocalModeInAzure(env: NodeJS.ProcessEnv): void {
  if (runsInAppService(env) && readAppSetting('KEYWARD_LOCAL_MODE', env) === 'true') {
    throw new Error('App setting KEYWARD_LOCAL_MODE must not be true in Azure (App Service sets WEBSITE_SITE_NAME)');
  }
}

/**
 * The composition root. SDK clients are created on first use (a cold start that only serves /health does
 * not load the Service Bus SDK), and tables are created if absent once per process.
 */
export function createRuntime(options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {}): Runtime {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  refuseLocalModeInAzure(env);
  const tier = readAppSetting('KEYWARD_TIER', env);
  if (!isTier(tier)) throw new Error(`App setting KEYWARD_TIER must be one of ${tiers.join(', ')}`);
  const admins = parseBootstrapAdmins(readAppSetting('KEYWARD_ADMINS', env));
  const config: RuntimeConfig = {
    tier,
    version: appVersion,
    licenseUrl: readAppSetting('KEYWARD_LICENSE_URL', env),
    maxBodyBytes: positiveInt('KEYWARD_MAX_BODY_BYTES', env),
    bootstrapAdmins: [...admins],
    trustForwardedFor: forwardedForTrusted(env),
  };

  let storageClients: StorageClients | undefined;
  const storage = (): StorageClients => (storageClients ??= createStorageClients(env));
  const table = (name: string) => () => storage().table(name);
  const serviceBus = lazyServiceBusClient(env);
  // Every message carries the trace context, so the consumer's span continues the producer's trace.
  const send = createMessageSender(serviceBus, traceProperties);
  const publish = createEventPublisher({ send, clock });
  // The feature services load their modules (storage, Azure SDKs, nodemailer) on first use, not at cold start.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const audit = once(() =>
    (require('../audit/audit-runtime') as typeof import('../audit/audit-runtime')).createAppAuditService({
      env,
      clock,
      storage,
    }),
  );
  const auditAppender = { append: async (input: AuditAppendInput) => (await audit()).append(input) };
  const scan = once(() =>
    (require('../scan/scan-runtime') as typeof import('../scan/scan-runtime')).createScanDeps({
      env,
      clock,
      tier,
      storage,
      send,
      publish,
      settings: built.settings,
      audit: auditAppender,
    }),
  );
  const notify = once(() =>
    (require('../notify/notify-runtime') as typeof import('../notify/notify-runtime')).createNotifyServices({
      env,
      clock,
      storage,
      send,
      settings: built.settings,
      audit: auditAppender,
    }),
  );
  const compliance = once(() =>
    (
      require('../compliance/compliance-runtime') as typeof import('../compliance/compliance-runtime')
    ).createComplianceServices({
      env,
      clock,
      storage,
      publish,
      audit: auditAppender,
      auditService: audit,
    }),
  );
  const rotation = once(() =>
    (require('../rotation/rotation-runtime') as typeof import('../rotation/rotation-runtime')).createRotationServices({
      env,
      clock,
      tier,
      storage,
      send,
      publish,
      audit: auditAppender,
      quotas: built.quotas,
    }),
  );
  const sync = once(() =>
    (require('../sync/sync-runtime') as typeof import('../sync/sync-runtime')).createSyncDeps({
      env,
      clock,
      storage,
      send,
      publish,
      audit: auditAppender,
    }),
  );
  /* eslint-enable @typescript-eslint/no-require-imports */

  const apiKeys = createApiKeyService({ store: createApiKeyStore(table(API_KEYS_TABLE)), clock });
  const userRoles = createUserRoleStore(table(USER_ROLES_TABLE));
  const settingsStore = createSettingsStore({ table: table(SETTINGS_TABLE), clock });
  // The trial start is a license event, audited by the one instance whose insert recorded it. A failed append
  // cannot be retried (the record exists), so it is logged as the trace; the license keeps working.
  const onTrialStarted = async (startedAt: Date): Promise<void> => {
    try {
      await auditAppender.append({
        actor: { type: 'system', name: 'Keyward license' },
        action: 'license.trialStarted',
        target: 'license',
        outcome: 'success',
        details: { tier, startedAt: startedAt.toISOString() },
      });
    } catch (error) {
      appLog.error(`license.trialStarted could not be audited (${error instanceof Error ? error.name : 'error'})`);
    }
  };
  const license = createLicenseService({
    tier,
    store: createLicenseStore(table(LICENSE_TABLE)),
    clock,
    onTrialStarted,
  });
  const built: Runtime = {
    env,
    clock,
    config,
    storage,
    serviceBus,
    apiKeys,
    userRoles,
    identity: createIdentityResolver({ apiKeys, userRoles, bootstrapAdmins: admins, env, audit: auditAppender }),
    license,
    quotas: createQuotaLedger(table(LICENSE_TABLE), tier, clock),
    scheduledWork: createScheduledWorkGuard({
      license,
      ledger: createLicenseLedger(table(LICENSE_TABLE)),
      audit: auditAppender,
      clock,
      log: appLog,
    }),
    rateLimiter: createRateLimiter({
      clock,
      limits: {
        read: positiveInt('KEYWARD_RATE_LIMIT_READ', env),
        write: positiveInt('KEYWARD_RATE_LIMIT_WRITE', env),
        expensive: positiveInt('KEYWARD_RATE_LIMIT_EXPENSIVE', env),
      },
    }),
    settingsStore,
    // Warnings name the setting, never its value; console reaches the Functions host log.
    settings: createSettingsResolver({ source: settingsStore, env, log: appLog }),
    // /health is anonymous: a short cache keeps a flood of probes from becoming three backend calls each.
    health: cachedHealth(
      createHealthService({ storage, serviceBus, timeoutMs: positiveInt('KEYWARD_HEALTH_TIMEOUT_MS', env) }),
      clock,
    ),
    malformed: createMalformedStore(table(MALFORMED_TABLE)),
    send,
    publish,
    audit,
    scan,
    notify,
    compliance,
    rotation,
    sync,
  };
  return built;
}

let processRuntime: Runtime | undefined;

/** The process-wide runtime, from process.env and the system clock. */
export function runtime(): Runtime {
  return (processRuntime ??= createRuntime());
}
