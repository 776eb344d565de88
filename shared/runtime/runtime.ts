import type { ServiceBusClient } from '@azure/service-bus';
import { auditService } from '../audit/audit-runtime';
import { readAppSetting } from '../config/app-settings';
import { createApiKeyService, type ApiKeyService } from '../auth/api-key-service';
import { API_KEYS_TABLE, createApiKeyStore } from '../auth/api-key-store';
import { createIdentityResolver, parseBootstrapAdmins, type IdentityResolver } from '../auth/identity-resolver';
import { createUserRoleStore, USER_ROLES_TABLE, type UserRoleStore } from '../auth/user-role-store';
import { createHealthService, type HealthService } from '../health/health-service';
import { createRateLimiter, type RateLimiter } from '../http/rate-limiter';
import { createLicenseService, type LicenseService } from '../license/license-service';
import { createLicenseStore, LICENSE_TABLE } from '../license/license-store';
import { isTier, tiers, type Tier } from '../license/license-tiers';
import { createSettingsResolver, type SettingsResolver } from '../settings/settings-resolver';
import { createSettingsStore, SETTINGS_TABLE, type SettingsStore } from '../settings/settings-store';
import { systemClock, type Clock } from '../time/clock';
import { appVersion } from './app-version';
import { lazyServiceBusClient } from './service-bus-client';
import { createStorageClients, type StorageClients } from './storage-clients';

/** Settings read once at start-up. */
export interface RuntimeConfig {
  readonly tier: Tier;
  readonly version: string;
  readonly licenseUrl: string;
  readonly maxBodyBytes: number;
  readonly bootstrapAdmins: readonly string[];
}

/** Everything a handler may use, built once per process. Features add their services here. */
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
  readonly rateLimiter: RateLimiter;
  readonly settings: SettingsResolver;
  readonly settingsStore: SettingsStore;
  readonly health: HealthService;
}

function positiveInt(name: Parameters<typeof readAppSetting>[0], env: NodeJS.ProcessEnv): number {
  const value = Number(readAppSetting(name, env));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`App setting ${name} must be a positive integer`);
  return value;
}

/**
 * The composition root. SDK clients are created on first use (a cold start that only serves /health does
 * not load the Service Bus SDK), and tables are created if absent once per process.
 */
export function createRuntime(options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {}): Runtime {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const tier = readAppSetting('KEYWARD_TIER', env);
  if (!isTier(tier)) throw new Error(`App setting KEYWARD_TIER must be one of ${tiers.join(', ')}`);
  const admins = parseBootstrapAdmins(readAppSetting('KEYWARD_ADMINS', env));
  const config: RuntimeConfig = {
    tier,
    version: appVersion,
    licenseUrl: readAppSetting('KEYWARD_LICENSE_URL', env),
    maxBodyBytes: positiveInt('KEYWARD_MAX_BODY_BYTES', env),
    bootstrapAdmins: [...admins],
  };

  let storageClients: StorageClients | undefined;
  const storage = (): StorageClients => (storageClients ??= createStorageClients(env));
  const table = (name: string) => () => storage().table(name);
  const serviceBus = lazyServiceBusClient(env);

  const apiKeys = createApiKeyService({ store: createApiKeyStore(table(API_KEYS_TABLE)), clock });
  const userRoles = createUserRoleStore(table(USER_ROLES_TABLE));
  const settingsStore = createSettingsStore({ table: table(SETTINGS_TABLE), clock });
  // The trial start is a license event, audited by the one instance whose insert recorded it. A failed append
  // cannot be retried (the record exists), so it is logged as the trace; the license keeps working.
  const onTrialStarted = async (startedAt: Date): Promise<void> => {
    try {
      await (
        await auditService(built)
      ).append({
        actor: { type: 'system', name: 'Keyward license' },
        action: 'license.trialStarted',
        target: 'license',
        outcome: 'success',
        details: { tier, startedAt: startedAt.toISOString() },
      });
    } catch (error) {
      console.error(`license.trialStarted could not be audited (${error instanceof Error ? error.name : 'error'})`);
    }
  };
  const built: Runtime = {
    env,
    clock,
    config,
    storage,
    serviceBus,
    apiKeys,
    userRoles,
    identity: createIdentityResolver({ apiKeys, userRoles, bootstrapAdmins: admins }),
    license: createLicenseService({ tier, store: createLicenseStore(table(LICENSE_TABLE)), clock, onTrialStarted }),
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
    settings: createSettingsResolver({ source: settingsStore, env, log: { warn: (message) => console.warn(message) } }),
    health: createHealthService({ storage, serviceBus, timeoutMs: positiveInt('KEYWARD_HEALTH_TIMEOUT_MS', env) }),
  };
  return built;
}

let processRuntime: Runtime | undefined;

/** The process-wide runtime, from process.env and the system clock. */
export function runtime(): Runtime {
  return (processRuntime ??= createRuntime());
}
