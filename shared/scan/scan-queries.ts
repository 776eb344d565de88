import { badRequest } from '../http/http-errors';
import type { ExpiringFilter, IndexPosition } from '../inventory/expiry-index';
import type { InventoryItem } from '../inventory/inventory-item';
import { daysRemaining, severities, type Severity } from '../inventory/severity';
import type { ScanDeps } from './scan-deps';
import type { VaultRow } from './estate-store';
import type { ScanRecord } from './scan-types';

const DEFAULT_PAGE = 100;

/** Continuation of the expiring list: the index position of the last row served, opaque to callers. */
const encodeToken = (at: IndexPosition): string =>
  Buffer.from(JSON.stringify({ p: at.partitionKey, r: at.rowKey })).toString('base64url');
function decodeToken(token: string): IndexPosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p?: unknown; r?: unknown };
    if (typeof parsed.p === 'string' && typeof parsed.r === 'string' && parsed.p.length + parsed.r.length < 1000) {
      return { partitionKey: parsed.p, rowKey: parsed.r };
    }
  } catch {
    // fall through
  }
  throw badRequest('Invalid continuationToken.', [
    { field: 'query.continuationToken', message: 'Not a token this API issued' },
  ]);
}

const zeroCounts = (): Record<Severity, number> =>
  Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;

export async function getStats(deps: Pick<ScanDeps, 'summary'>) {
  const s = await deps.summary.read();
  return {
    totalItems: s?.totalItems ?? 0,
    warning: s?.bySeverity.warning ?? 0,
    severe: s?.bySeverity.severe ?? 0,
    critical: s?.bySeverity.critical ?? 0,
    expired: s?.bySeverity.expired ?? 0,
    lastScanAt: s?.evaluatedAt ?? null,
    vaultCount: s?.vaultCount ?? 0,
    subscriptionCount: s?.subscriptionCount ?? 0,
  };
}

export async function getScanHistory(deps: Pick<ScanDeps, 'scans'>) {
  const scans = (await deps.scans.listScans()).filter((s) => s.status === 'completed').slice(0, 100);
  return {
    scans: scans.map((s) => ({
      scanId: s.scanId,
      timestamp: s.completedAt ?? s.startedAt,
      subscriptionsScanned: s.subscriptionsScanned,
      vaultsFound: s.vaultsFound,
      itemsScanned: s.itemsScanned,
      warning: s.bySeverity.warning ?? 0,
      severe: s.bySeverity.severe ?? 0,
      critical: s.bySeverity.critical ?? 0,
      expired: s.bySeverity.expired ?? 0,
      durationSeconds: s.durationSeconds ?? 0,
    })),
  };
}

/**
 * The expiring list. The plain first page comes from the summary the evaluation wrote (one read); filtered pages
 * and later pages are range reads of the expiry index. `daysRemaining` is computed now; severity is the scan's.
 */
export async function getExpiringItems(
  deps: Pick<ScanDeps, 'clock' | 'index' | 'summary'>,
  q: ExpiringFilter & { limit?: number; continuationToken?: string },
) {
  const limit = q.limit ?? DEFAULT_PAGE;
  const now = deps.clock.now();
  const plain = !q.severity && !q.type && !q.vault && !q.subscription && !q.continuationToken;
  let rows;
  let more: boolean;
  const summary = plain ? await deps.summary.read() : null;
  if (summary && (limit <= summary.firstPage.length || !summary.firstPageHasMore)) {
    rows = summary.firstPage.slice(0, limit);
    more = summary.firstPageHasMore || summary.firstPage.length > limit;
  } else {
    const after = q.continuationToken ? decodeToken(q.continuationToken) : null;
    ({ rows, more } = await deps.index.page(q, after, limit));
  }
  const last = rows[rows.length - 1];
  return {
    items: rows.map((r) => ({
      itemName: r.itemName,
      vaultName: r.vaultName,
      subscriptionName: r.subscriptionName,
      itemType: r.itemType,
      expiresAt: r.expiresAt,
      daysRemaining: daysRemaining(new Date(r.expiresAt), now),
      severity: r.severity,
      id: r.itemId,
    })),
    ...(more && last ? { continuationToken: encodeToken(last) } : {}),
  };
}

export async function getSubscriptions(deps: Pick<ScanDeps, 'estate'>) {
  const subs = await deps.estate.listSubscriptions();
  return {
    subscriptions: subs.map((s) => ({
      subscriptionId: s.subscriptionId,
      subscriptionName: s.subscriptionName,
      tenantId: s.tenantId,
      state: s.state ?? 'Enabled',
    })),
  };
}

/** The role that would let the scan list what it could not (Key Vault Reader reads metadata of all three kinds). */
function vaultAccess(v: VaultRow, tenantId: string) {
  const state = v.lastOutcome ?? 'notScanned';
  const blocked = state === 'forbidden' || state === 'firewalled';
  return {
    subscriptionId: v.subscriptionId,
    vaultName: v.vaultName,
    accessState: state,
    deniedKinds: [...v.deniedKinds],
    missingRole:
      state === 'forbidden'
        ? v.rbac
          ? 'Key Vault Reader'
          : 'Access policy: List on secrets, keys and certificates'
        : null,
    grantAccessUrl:
      blocked && v.vaultId
        ? `https://portal.azure.com/#@${tenantId}/resource${v.vaultId}/${state === 'firewalled' ? 'networking' : v.rbac ? 'users' : 'access_policies'}`
        : null,
  };
}

export async function getPermissionStatus(deps: Pick<ScanDeps, 'estate'>) {
  const [subs, vaults] = await Promise.all([deps.estate.listSubscriptions(), deps.estate.listVaults()]);
  const included = subs.filter((s) => s.included);
  const rows = included.map((s) => {
    const own = vaults.filter((v) => v.subscriptionId === s.subscriptionId);
    // A permission status: the identity can enumerate the vaults (ARM read) and no vault refused it for a missing
    // role or access policy. A vault firewall is a network rule and a failure is an error: both show per vault.
    return {
      subscriptionId: s.subscriptionId,
      subscriptionName: s.subscriptionName,
      hasKeyVaultAccess: s.armAccess && !own.some((v) => v.lastOutcome === 'forbidden'),
      vaultCount: own.length,
    };
  });
  const tenantOf = new Map(subs.map((s) => [s.subscriptionId, s.tenantId]));
  return {
    subscriptions: rows,
    totalAccessible: rows.filter((r) => r.hasKeyVaultAccess).length,
    totalSubscriptions: rows.length,
    vaults: vaults.map((v) => vaultAccess(v, tenantOf.get(v.subscriptionId) ?? '')),
  };
}

export async function getDiscoveryVaults(deps: Pick<ScanDeps, 'estate'>) {
  const [subs, vaults] = await Promise.all([deps.estate.listSubscriptions(), deps.estate.listVaults()]);
  const tenantOf = new Map(subs.map((s) => [s.subscriptionId, s.tenantId]));
  return {
    vaults: vaults.map((v) => ({
      ...vaultAccess(v, tenantOf.get(v.subscriptionId) ?? ''),
      subscriptionName: v.subscriptionName,
      resourceGroup: v.resourceGroup,
      location: v.location,
      itemCount: v.itemCount,
      itemsLeftOut: v.itemsLeftOut,
      counts: { ...zeroCounts(), ...v.bySeverity },
      lastScanId: v.lastScanId,
      lastScannedAt: v.lastScannedAt,
      errorCode: v.errorCode,
      tags: { ...v.tags },
    })),
  };
}

export async function discoveryScan(deps: Pick<ScanDeps, 'scans'>, s: ScanRecord) {
  const progress = await deps.scans.readProgress(s.scanId);
  return {
    ...s,
    progress: { planned: progress.planned, vaultsDone: progress.unitsDone, vaultsTotal: progress.unitsTotal },
    counts: { ...zeroCounts(), ...s.bySeverity },
  };
}

export async function listDiscoveryScans(deps: Pick<ScanDeps, 'scans'>, limit: number, offset: number) {
  const all = await deps.scans.listScans();
  const page = all.slice(offset, offset + limit);
  return { scans: await Promise.all(page.map((s) => discoveryScan(deps, s))), total: all.length, limit, offset };
}

export function toAsset(item: InventoryItem, now: Date) {
  return {
    id: item.id,
    name: item.name,
    type: item.type,
    status: item.severity,
    source: item.source,
    vaultName: item.vaultName,
    subscriptionId: item.subscriptionId,
    subscriptionName: item.subscriptionName,
    appId: item.appId,
    appDisplayName: item.appDisplayName,
    enabled: item.enabled,
    expiresOn: item.expiresOn,
    daysRemaining: item.expiresOn ? daysRemaining(new Date(item.expiresOn), now) : null,
  };
}
