import type { InventoryItem } from '../inventory/inventory-item';
import type { SubscriptionRow, VaultRow } from '../scan/estate-store';
import type {
  AppFacts,
  ComplianceInventory,
  Resource,
  ResourceRef,
  Scope,
  UnreadablePartition,
  VaultFacts,
} from './compliance-facts';

const DAY_MS = 86_400_000;
type Row = Readonly<Record<string, unknown>>;

export interface InventorySources {
  readonly subscriptions: readonly SubscriptionRow[];
  readonly vaults: readonly VaultRow[];
  /** Posture rows by partition, then row key (shared/scan/posture-store.ts). */
  readonly posture: ReadonlyMap<string, ReadonlyMap<string, Row>>;
  readonly items: readonly InventoryItem[];
  /** Partitions the scan could not read at all (scan.completed `unreachablePartitions`). */
  readonly unreachablePartitions: readonly string[];
  readonly now: Date;
}

const bool = (row: Row | undefined, k: string): boolean => row?.[k] === true;
const num = (row: Row | undefined, k: string, fallback: number): number =>
  typeof row?.[k] === 'number' ? (row[k] as number) : fallback;
const str = (row: Row | undefined, k: string): string => (typeof row?.[k] === 'string' ? (row[k] as string) : '');

/** Whole days from `from` to `to` (floor: an item expiring in 1.9 days has 1 day left; expired gives < 0). */
export function wholeDays(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}

const partitionOfVault = (v: Pick<VaultRow, 'subscriptionId' | 'vaultName'>): string =>
  `${v.subscriptionId.toLowerCase()}_${v.vaultName.toLowerCase()}`;

/** Scopes of a vault's items the last scan could not list (a firewalled vault's secrets still come from ARM). */
function unreadableItemScopes(vault: VaultRow, unreachable: ReadonlySet<string>): Scope[] {
  if (unreachable.has(partitionOfVault(vault))) return ['secret', 'key', 'certificate'];
  if (vault.lastOutcome === 'firewalled') return ['key', 'certificate'];
  const byKind: Record<string, Scope> = { secrets: 'secret', keys: 'key', certificates: 'certificate' };
  return vault.deniedKinds.flatMap((k) => (byKind[k] ? [byKind[k]] : []));
}

function normalizeDn(dn: string | null): string {
  return (dn ?? '').replace(/\s+/g, '').toLowerCase();
}

/**
 * Builds the facts every rule reads from what the scan stored: the estate (vaults, subscriptions), the posture
 * table and the inventory. Items in partitions (or of kinds) the scan could not read are left out and their
 * partition is listed as unreadable, so rules report "not evaluated" rather than judging stale or missing data.
 */
export function buildComplianceInventory(src: InventorySources): ComplianceInventory {
  const now = src.now.getTime();
  const unreachable = new Set(src.unreachablePartitions.map((p) => p.toLowerCase()));
  const unreadable: UnreadablePartition[] = [];
  const hidden = new Map<string, Set<Scope>>();

  const subscriptions: Resource<'subscription'>[] = src.subscriptions
    .filter((s) => s.included)
    .map((s) => {
      const row = src.posture.get('subscriptions')?.get(s.subscriptionId.toLowerCase());
      return {
        ref: {
          scope: 'subscription',
          key: `sub_${s.subscriptionId.toLowerCase()}`,
          name: s.subscriptionName,
          vaultName: '',
          subscriptionId: s.subscriptionId,
        },
        facts: {
          subscriptionId: s.subscriptionId,
          subscriptionName: s.subscriptionName,
          defenderKnown: bool(row, 'defenderKnown'),
          defenderForKeyVault: bool(row, 'defenderForKeyVault'),
        },
      };
    });

  const vaultByPartition = new Map<string, VaultRow>();
  const vaults: Resource<'vault'>[] = [];
  for (const v of src.vaults) {
    const partition = partitionOfVault(v);
    vaultByPartition.set(partition, v);
    const ref: ResourceRef = {
      scope: 'vault',
      key: partition,
      name: v.vaultName,
      vaultName: v.vaultName,
      subscriptionId: v.subscriptionId,
    };
    const itemScopes = unreadableItemScopes(v, unreachable);
    const row = src.posture.get(partition)?.get('vault');
    const armKnown = row !== undefined && typeof row.softDeleteEnabled === 'boolean';
    const scopesOut: Scope[] = armKnown ? itemScopes : ['vault', ...itemScopes];
    if (scopesOut.length > 0) {
      unreadable.push({ ref, scopes: scopesOut });
      hidden.set(partition, new Set(scopesOut));
    }
    if (!armKnown) continue;
    const facts: VaultFacts = {
      name: v.vaultName,
      subscriptionId: v.subscriptionId,
      resourceGroup: v.resourceGroup,
      location: v.location,
      tags: v.tags,
      sku: str(row, 'sku'),
      softDeleteEnabled: bool(row, 'softDeleteEnabled'),
      softDeleteRetentionDays: num(row, 'softDeleteRetentionDays', 0),
      purgeProtectionEnabled: bool(row, 'purgeProtectionEnabled'),
      rbacAuthorization: bool(row, 'rbacAuthorization'),
      publicNetworkAccess: str(row, 'publicNetworkAccess'),
      networkDefaultAction: str(row, 'networkDefaultAction'),
      trustedServicesBypass: bool(row, 'trustedServicesBypass'),
      privateEndpointCount: num(row, 'privateEndpointCount', 0),
      diagnosticsKnown: bool(row, 'diagnosticsKnown'),
      diagnosticLogsEnabled: bool(row, 'diagnosticLogsEnabled'),
      dataReadable: v.lastOutcome === 'ok' || v.lastOutcome === 'throttled',
    };
    vaults.push({ ref, facts });
  }

  const out = {
    secrets: [] as Resource<'secret'>[],
    keys: [] as Resource<'key'>[],
    certificates: [] as Resource<'certificate'>[],
    appCredentials: [] as Resource<'appCredential'>[],
  };
  const appCounts = new Map<
    string,
    { partition: string; appId: string; name: string; passwords: number; certificates: number }
  >();
  for (const item of src.items) {
    if (item.excluded) continue;
    if (item.type === 'appSecret' || item.type === 'appCertificate') {
      if (unreachable.has(item.partition.toLowerCase())) continue;
      // Rows are `<type>_<app|sp>_<objectId>_<keyId>`: app registrations only, not service principals.
      if (item.row.split('_')[1] !== 'app' || !item.appObjectId) continue;
      const start = item.notBefore ? Date.parse(item.notBefore) : NaN;
      const end = item.expiresOn ? Date.parse(item.expiresOn) : NaN;
      out.appCredentials.push({
        ref: {
          scope: 'appCredential',
          key: item.id,
          name: `${item.appDisplayName ?? item.appId ?? ''}: ${item.name}`,
          vaultName: '',
          subscriptionId: '',
        },
        facts: {
          id: item.id,
          appDisplayName: item.appDisplayName ?? '',
          appId: item.appId ?? '',
          appObjectId: item.appObjectId,
          kind: item.type === 'appSecret' ? 'password' : 'certificate',
          hasEndDate: !Number.isNaN(end),
          daysToExpiry: Number.isNaN(end) ? 0 : wholeDays(now, end),
          lifetimeDays: Number.isNaN(end) || Number.isNaN(start) ? 0 : Math.round((end - start) / DAY_MS),
        },
      });
      const key = item.appObjectId.toLowerCase();
      const c = appCounts.get(key) ?? {
        partition: item.partition,
        appId: item.appId ?? '',
        name: item.appDisplayName ?? '',
        passwords: 0,
        certificates: 0,
      };
      if (item.type === 'appSecret') c.passwords += 1;
      else c.certificates += 1;
      appCounts.set(key, c);
      continue;
    }
    const scope: Scope = item.type;
    if (hidden.get(item.partition)?.has(scope)) continue;
    const vault = vaultByPartition.get(item.partition);
    const exp = item.expiresOn ? Date.parse(item.expiresOn) : NaN;
    const nbf = item.notBefore ? Date.parse(item.notBefore) : NaN;
    const touched = item.updatedOn ?? item.createdOn;
    const base = {
      id: item.id,
      name: item.name,
      vaultName: item.vaultName ?? '',
      subscriptionId: item.subscriptionId ?? '',
      vaultRbac: vault?.rbac ?? false,
      vaultTags: item.vaultTags,
      tags: item.tags,
      enabled: item.enabled,
      hasExpiry: !Number.isNaN(exp),
      daysToExpiry: Number.isNaN(exp) ? 0 : wholeDays(now, exp),
      hasNotBefore: !Number.isNaN(nbf),
      contentType: item.contentType ?? '',
      daysSinceUpdate: touched ? wholeDays(Date.parse(touched), now) : -1,
    };
    const ref: ResourceRef = {
      scope,
      key: item.id,
      name: item.name,
      vaultName: item.vaultName ?? '',
      subscriptionId: item.subscriptionId ?? '',
    };
    if (scope === 'secret') out.secrets.push({ ref: { ...ref, scope }, facts: base });
    else if (scope === 'key') {
      const rotation = src.posture.get(item.partition)?.get(`key_${item.row}`);
      out.keys.push({
        ref: { ...ref, scope },
        facts: {
          ...base,
          keyType: item.keyType ?? '',
          keySize: item.keySize ?? 0,
          rotationPolicyKnown: bool(rotation, 'rotationPolicyKnown'),
          hasRotateAction: bool(rotation, 'hasRotateAction'),
          rotationExpiryTime: str(rotation, 'rotationExpiryTime'),
          keyOpsKnown: item.keyOps !== null,
          keyOps: item.keyOps ? item.keyOps.split(',').filter((op) => op !== '') : [],
        },
      });
    } else {
      const detailsKnown = item.issuer !== null && item.subject !== null;
      out.certificates.push({
        ref: { ...ref, scope: 'certificate' },
        facts: {
          ...base,
          issuer: item.issuer ?? '',
          subject: item.subject ?? '',
          detailsKnown,
          selfSigned: detailsKnown && normalizeDn(item.issuer) === normalizeDn(item.subject),
          validityDays: Number.isNaN(exp) || Number.isNaN(nbf) ? 0 : Math.round((exp - nbf) / DAY_MS),
          keyType: item.keyType ?? '',
          keySize: item.keySize ?? 0,
        },
      });
    }
  }

  const apps: Resource<'app'>[] = [];
  const seen = new Set<string>();
  const directoryPartitions = new Set<string>([
    ...[...appCounts.values()].map((c) => c.partition),
    ...[...unreachable].filter((p) => p.startsWith('entra_')),
  ]);
  for (const [partition, rows] of src.posture) {
    if (!partition.startsWith('entra_')) continue;
    directoryPartitions.add(partition);
    for (const [rk, row] of rows) {
      if (!rk.startsWith('app_')) continue;
      const objectId = rk.slice(4);
      seen.add(objectId);
      apps.push(appResource(partition, objectId, appCounts.get(objectId), row));
    }
  }
  for (const [objectId, c] of appCounts)
    if (!seen.has(objectId)) apps.push(appResource(c.partition, objectId, c, undefined));
  for (const partition of directoryPartitions) {
    if (!unreachable.has(partition.toLowerCase())) continue;
    unreadable.push({
      ref: { scope: 'app', key: partition, name: 'App registrations', vaultName: '', subscriptionId: '' },
      scopes: ['appCredential', 'app'],
    });
  }
  return {
    subscriptions,
    vaults,
    ...out,
    apps: apps.filter((a) => !unreachable.has(partitionOfApp(a).toLowerCase())),
    unreadable,
  };
}

function partitionOfApp(a: Resource<'app'>): string {
  return a.ref.key.slice(0, a.ref.key.indexOf('~'));
}

function appResource(
  partition: string,
  objectId: string,
  counts: { appId: string; name: string; passwords: number; certificates: number } | undefined,
  row: Row | undefined,
): Resource<'app'> {
  const facts: AppFacts = {
    objectId,
    appId: str(row, 'appId') || (counts?.appId ?? ''),
    displayName: str(row, 'displayName') || counts?.name || objectId,
    signInAudience: str(row, 'signInAudience'),
    passwordCount: counts?.passwords ?? 0,
    certificateCount: counts?.certificates ?? 0,
    ownersKnown: bool(row, 'ownersKnown'),
    ownerCount: num(row, 'ownerCount', 0),
  };
  return {
    ref: {
      scope: 'app',
      key: `${partition}~app_${objectId}`,
      name: facts.displayName,
      vaultName: '',
      subscriptionId: '',
    },
    facts,
  };
}
