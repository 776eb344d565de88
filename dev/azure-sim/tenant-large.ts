import { seededRandom } from './sim-knobs';
import type { TenantDocument } from './tenant-schema';
import { guid } from './tenant-state';

/** Shape of the generated `large` tenant. The same parameters always give the same tenant. */
export interface LargeTenantParams {
  readonly seed?: number;
  readonly subscriptions?: number;
  readonly vaultsPerSubscription?: number;
  /** Secrets, certificates and keys together, per vault. */
  readonly itemsPerVault?: number;
  readonly applications?: number;
}

type Vault = NonNullable<TenantDocument['subscriptions'][number]['vaults']>[number];

/**
 * Expiry bands (days from now) the generator draws from, weighted like a fleet with every severity plus no expiry:
 * expired, critical, severe, warning (two shares each), healthy (three), never (one). Each item gets a whole day
 * inside its band, clear of the 7/14/30-day thresholds, so expiries spread over many days as in a real estate.
 */
const BANDS: readonly (readonly [number, number] | null)[] = [
  [-90, -1],
  [-90, -1],
  [1, 6],
  [1, 6],
  [8, 13],
  [8, 13],
  [15, 29],
  [15, 29],
  [31, 400],
  [31, 400],
  [31, 400],
  null,
];

export function generateLargeTenant(params: LargeTenantParams = {}): TenantDocument {
  const seed = params.seed ?? 42;
  const subs = params.subscriptions ?? 10;
  const vaultsPer = params.vaultsPerSubscription ?? 20;
  const itemsPer = params.itemsPerVault ?? 50;
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const expiry = (): number | null => {
    const band = pick(BANDS);
    return band ? band[0] + Math.floor(random() * (band[1] - band[0] + 1)) : null;
  };

  const vault = (s: number, v: number): Vault => {
    const roll = random();
    const access: Vault['access'] =
      roll < 0.5
        ? { model: 'rbac', callerRoles: ['Key Vault Reader'] }
        : roll < 0.85
          ? { model: 'accessPolicy', secrets: ['get', 'list'], certificates: ['get', 'list'], keys: ['get', 'list'] }
          : { model: 'rbac', callerRoles: [] };
    const secrets = Math.round(itemsPer * 0.6);
    const certificates = Math.round(itemsPer * 0.2);
    return {
      name: `kv-s${s}-v${v}-${seed}`.slice(0, 24),
      resourceGroup: `rg-large-${s}`,
      access,
      firewalled: random() < 0.05,
      diagnostics: random() < 0.7,
      enablePurgeProtection: random() < 0.5,
      secrets: Array.from({ length: secrets }, (_, i) => ({
        name: `secret-${i}`,
        expiresInDays: expiry(),
        enabled: random() > 0.05,
        versions: 1 + Math.floor(random() * 3),
      })),
      certificates: Array.from({ length: certificates }, (_, i) => ({
        name: `cert-${i}`,
        expiresInDays: expiry() ?? 365,
        subject: `CN=svc-${s}-${v}-${i}.contoso.com`,
      })),
      keys: Array.from({ length: itemsPer - secrets - certificates }, (_, i) => ({
        name: `key-${i}`,
        expiresInDays: expiry(),
      })),
    };
  };

  return {
    tenantId: guid(`large/${seed}/tenant`),
    displayName: `Large ${seed}`,
    caller: {
      objectId: guid(`large/${seed}/oid`),
      appId: guid(`large/${seed}/appid`),
      displayName: 'keyward-identity',
    },
    subscriptions: Array.from({ length: subs }, (_, s) => ({
      subscriptionId: guid(`large/${seed}/sub/${s}`),
      displayName: `large-sub-${s}`,
      vaults: Array.from({ length: vaultsPer }, (_, v) => vault(s, v)),
    })),
    applications: Array.from({ length: params.applications ?? 200 }, (_, i) => ({
      displayName: `large-app-${i}`,
      owners: [{ displayName: `Owner ${i % 17}`, userPrincipalName: `owner${i % 17}@large.example` }],
      passwordCredentials: [{ displayName: 'primary', endInDays: expiry() ?? 3650 }],
    })),
  };
}
