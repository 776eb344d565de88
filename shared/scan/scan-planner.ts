import { budgetPolicy } from '../cloud/budget-policy';
import { directoryPartition, vaultPartition } from '../inventory/inventory-item';
import { createGate } from '../runtime/concurrency-gate';
import { closeScanIfReady } from './scan-closer';
import { retryOptions, type ScanDeps } from './scan-deps';
import { withRetries, statusCodeOf } from './scan-retry';
import type { ScanRecord, ScanUnit, VaultUnit } from './scan-types';
import { selectForEstate } from './tier-limits';
import { unitOrder } from './unit-order';
import type { SubscriptionRow, VaultRegistration } from './estate-store';
import type { SubscriptionPosture, VaultPosture } from './posture-store';
import { collectPosture, postureFromArm, readDefenderPlan } from './vault-posture';

const SUBSCRIPTION_CONCURRENCY = 8;

interface ListedSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId: string;
  readonly state: string;
}

/**
 * Subscription states whose resources can be read. Warned and PastDue subscriptions still run (their state is
 * kept on the row and shown); Disabled and Deleted ones are reported with their state and not scanned, their
 * vaults kept as last seen (unknown is not gone).
 */
const READABLE_STATES = new Set(['enabled', 'warned', 'pastdue']);
const isReadable = (s: ListedSubscription): boolean => READABLE_STATES.has(s.state.toLowerCase());

/** Service Bus message id of a unit: the broker drops a second message for the same scan and unit. */
export const unitMessageId = (scanId: string, unitKey: string): string => `${scanId}:${unitKey}`.slice(0, 128);

/**
 * The plan worker: lists subscriptions (tier limit applied by id) and their vaults through ARM within the ARM
 * budget, reconciles the estate (vaults gone since the last full scan lose their items), and fans out one message
 * per vault plus one for the app registrations. It fixes the unit count once; a redelivered plan re-sends the same
 * message ids (dropped as duplicates) and changes nothing else.
 */
export async function planScan(deps: ScanDeps, scanId: string): Promise<void> {
  const scan = await deps.scans.getScan(scanId);
  if (!scan || scan.status === 'completed') return;
  const progress = await deps.scans.readProgress(scanId);
  if (progress.planned) {
    await closeScanIfReady(deps, scanId, 'plan');
    return;
  }
  const retry = retryOptions(deps);
  const limits = await deps.limits();
  const armKey = (id: string) => ({ key: `arm/${id}`, rule: deps.rules.armPerSubscription });
  const tenantExtras = { policies: [budgetPolicy(deps.budget, [armKey('tenant')], deps.wallMs)] };
  const all: ListedSubscription[] = [];
  const subClient = deps.cloud.subscriptions(tenantExtras);
  await withRetries(async () => {
    all.length = 0;
    for await (const s of subClient.subscriptions.list()) {
      if (s.subscriptionId) {
        all.push({
          subscriptionId: s.subscriptionId,
          displayName: s.displayName ?? s.subscriptionId,
          tenantId: s.tenantId ?? '',
          state: s.state ?? 'Enabled',
        });
      }
    }
  }, retry);
  const wanted = scan.subscriptionsFilter?.map((s) => s.toLowerCase());
  const requested = wanted ? all.filter((s) => wanted.includes(s.subscriptionId.toLowerCase())) : all;
  const candidates = requested.filter(isReadable);
  const inactive = requested.filter((s) => !isReadable(s));
  const granted = (await limits.estate?.granted()) ?? new Set<string>();
  const { included, skipped, newlyGranted } = selectForEstate(candidates, limits.subscriptionLimit, granted);
  await limits.estate?.grant(newlyGranted.map((s) => s.subscriptionId));

  const subRows: SubscriptionRow[] = [];
  const vaultRows: VaultRegistration[] = [];
  const vaultPostures = new Map<string, VaultPosture>();
  const defender: { subscriptionId: string; posture: SubscriptionPosture }[] = [];
  // Subscriptions have separate ARM buckets (and budgets): list several at once, not one after another.
  const gate = createGate(SUBSCRIPTION_CONCURRENCY);
  const armExtras = (sub: ListedSubscription) => ({
    policies: [budgetPolicy(deps.budget, [armKey(sub.subscriptionId)], deps.wallMs)],
  });
  const listOne = async (sub: ListedSubscription): Promise<void> => {
    const client = deps.cloud.keyVaultManagement(sub.subscriptionId, armExtras(sub));
    const found: VaultRegistration[] = [];
    let armAccess = true;
    try {
      await withRetries(async () => {
        found.length = 0;
        for await (const v of client.vaults.listBySubscription()) {
          found.push(toVaultRow(sub, v));
          vaultPostures.set(vaultPartition(sub.subscriptionId, v.name ?? ''), postureFromArm(v.properties));
        }
      }, retry);
      if (deps.posture) {
        await collectPosture(deps, `defender ${sub.subscriptionId}`, async () => {
          defender.push({
            subscriptionId: sub.subscriptionId,
            posture: await readDefenderPlan(deps, sub.subscriptionId, armExtras(sub), retry),
          });
        });
      }
    } catch (error) {
      if (statusCodeOf(error) !== 403) throw error;
      armAccess = false;
    }
    vaultRows.push(...found);
    subRows.push({
      subscriptionId: sub.subscriptionId,
      tenantId: sub.tenantId,
      state: sub.state,
      subscriptionName: sub.displayName,
      included: true,
      armAccess,
      vaultCount: found.length,
      lastSeenScanId: scanId,
    });
  };
  await Promise.all(included.map((sub) => gate(() => listOne(sub))));
  for (const sub of [...skipped, ...inactive]) {
    subRows.push({
      subscriptionId: sub.subscriptionId,
      tenantId: sub.tenantId,
      state: sub.state,
      subscriptionName: sub.displayName,
      included: false,
      armAccess: true,
      vaultCount: 0,
      lastSeenScanId: scanId,
    });
  }
  await deps.estate.putSubscriptions(subRows);
  await deps.posture?.putVaults([...vaultPostures].map(([partition, posture]) => ({ partition, posture })));
  await deps.posture?.putSubscriptions(defender);
  const unreadable = new Set([
    ...subRows.filter((r) => r.included && !r.armAccess).map((r) => r.subscriptionId),
    ...inactive.map((s) => s.subscriptionId),
  ]);
  await reconcileEstate(deps, scan, unreadable, vaultRows, all);
  await deps.estate.putVaults(vaultRows);

  const previous = new Map(
    (await deps.estate.listVaults()).map((v) => [vaultPartition(v.subscriptionId, v.vaultName), v]),
  );
  const cutoff = deps.clock.now().getTime() - deps.deltaMaxAgeHours * 3_600_000;
  const fresh = (v: VaultRegistration): boolean => {
    const seen = previous.get(vaultPartition(v.subscriptionId, v.vaultName));
    // A vault this very scan already listed (a redelivered plan) still counts as one of its units.
    const last = seen?.lastScanId === scanId ? null : seen?.lastOkAt;
    return scan.mode === 'delta' && !!last && Date.parse(last) >= cutoff;
  };
  const units: ScanUnit[] = vaultRows
    .filter((v) => !fresh(v))
    .map((v): VaultUnit => ({
      kind: 'vault',
      scanId,
      unitKey: vaultPartition(v.subscriptionId, v.vaultName),
      subscriptionId: v.subscriptionId,
      subscriptionName: v.subscriptionName,
      vaultName: v.vaultName,
      vaultId: v.vaultId,
      vaultUri: v.vaultUri,
      resourceGroup: v.resourceGroup,
      vaultTags: v.tags,
      networkRestricted: v.networkRestricted,
      neverScanned: !previous.get(vaultPartition(v.subscriptionId, v.vaultName))?.lastScanId,
    }));
  // The directory is the identity's own tenant, whatever tenants the listed subscriptions belong to.
  const tenantId = await deps.cloud.homeTenantId();
  if (!scan.subscriptionsFilter && tenantId) {
    units.push({ kind: 'directory', scanId, unitKey: directoryPartition(tenantId), tenantId });
  }
  await deps.send(
    'scanVault',
    unitOrder(units).map((u) => ({ messageId: unitMessageId(scanId, u.unitKey), body: u })),
  );
  await deps.scans.updateScan(scanId, {
    subscriptionsFound: requested.length,
    subscriptionsScanned: included.length,
    subscriptionsSkipped: skipped.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName })),
    vaultsFound: vaultRows.length,
    vaultsCarriedOver: vaultRows.length - units.filter((u) => u.kind === 'vault').length,
  });
  await deps.scans.markPlannedOnce(scanId, units.length);
  deps.log.info(
    `scan ${scanId} planned: ${units.length} units, ${skipped.length} subscriptions over the tier limit, ` +
      `${inactive.length} not scanned for their state (${inactive.map((s) => `${s.subscriptionId}: ${s.state}`).join(', ') || 'none'})`,
  );
  await closeScanIfReady(deps, scanId, 'plan');
}

function toVaultRow(
  sub: ListedSubscription,
  v: {
    id?: string;
    name?: string;
    location?: string;
    tags?: Record<string, string>;
    properties: {
      vaultUri?: string;
      enableRbacAuthorization?: boolean;
      publicNetworkAccess?: string;
      networkAcls?: { defaultAction?: string };
    };
  },
): VaultRegistration {
  const id = v.id ?? '';
  return {
    subscriptionId: sub.subscriptionId,
    subscriptionName: sub.displayName,
    vaultName: v.name ?? '',
    vaultId: id,
    vaultUri: v.properties.vaultUri ?? '',
    resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '',
    location: v.location ?? '',
    tags: { ...v.tags },
    rbac: v.properties.enableRbacAuthorization === true,
    networkRestricted:
      v.properties.publicNetworkAccess?.toLowerCase() === 'disabled' ||
      v.properties.networkAcls?.defaultAction?.toLowerCase() === 'deny',
  };
}

/**
 * Vaults that no longer exist (or whose subscription is gone, inaccessible, or over the tier limit) lose their
 * inventory, so counts stay right. A scan limited to some subscriptions only reconciles those.
 */
async function reconcileEstate(
  deps: Pick<ScanDeps, 'estate' | 'inventory'>,
  scan: ScanRecord,
  unreadable: ReadonlySet<string>,
  listed: readonly VaultRegistration[],
  visible: readonly ListedSubscription[],
): Promise<void> {
  const scope = scan.subscriptionsFilter?.map((s) => s.toLowerCase());
  const present = new Set(listed.map((v) => vaultPartition(v.subscriptionId, v.vaultName)));
  for (const v of await deps.estate.listVaults()) {
    if (scope && !scope.includes(v.subscriptionId.toLowerCase())) continue;
    // A subscription whose vault list was refused (no ARM role) keeps its last known vaults: unknown is not gone.
    if (present.has(vaultPartition(v.subscriptionId, v.vaultName)) || unreadable.has(v.subscriptionId)) continue;
    await deps.inventory.deletePartition(vaultPartition(v.subscriptionId, v.vaultName));
    await deps.estate.removeVault(v.subscriptionId, v.vaultName);
  }
  if (!scope) {
    const known = new Set(visible.map((s) => s.subscriptionId));
    for (const s of await deps.estate.listSubscriptions()) {
      if (!known.has(s.subscriptionId)) await deps.estate.removeSubscription(s.subscriptionId);
    }
  }
}
