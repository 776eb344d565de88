import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { budgetPolicy } from '../cloud/budget-policy';
import type { InventoryItem } from '../inventory/inventory-item';
import { classify } from '../inventory/severity';
import { recordVaultRequests } from '../telemetry/keyward-metrics';
import { mergeVaultListing, type VaultListing } from './item-merge';
import { auditScanEvent } from './scan-audit';
import { closeScanIfReady } from './scan-closer';
import { retryOptions, type ScanDeps } from './scan-deps';
import type { UnitOutcome } from './scan-progress';
import { statusCodeOf } from './scan-retry';
import type { UnitResult, VaultUnit } from './scan-types';
import { addDetails } from './vault-details';
import { listVault, listVaultThroughArm, vaultDataClients } from './vault-lister';
import { collectVaultPosture } from './vault-posture';

/** Counts every HTTP attempt and every 429 of one unit (for the outcome and the scan record). */
export function requestCounter(): { policy: PipelinePolicy; requests: number; throttled: number } {
  const counter = {
    requests: 0,
    throttled: 0,
    policy: {
      name: 'keywardRequestCounter',
      async sendRequest(request, next) {
        counter.requests += 1;
        const response = await next(request);
        if (response.status === 429) counter.throttled += 1;
        return response;
      },
    } as PipelinePolicy,
  };
  return counter;
}

/** Azure's error code for the record (never the message: it can quote request details). */
export function errorCodeOf(error: unknown): string {
  const e = error as { code?: unknown; statusCode?: unknown; name?: unknown } | null;
  if (typeof e?.code === 'string' && e.code) return e.code.slice(0, 64);
  if (typeof e?.statusCode === 'number') return `HTTP${e.statusCode}`;
  return typeof e?.name === 'string' ? e.name.slice(0, 64) : 'Error';
}

/**
 * Stored items of a kind this scan could not list stay as they were (unknown is not deleted). Certificates are
 * known from their backing secrets whenever secrets were listed.
 */
function unlistedKept(
  listing: VaultListing,
  existing: ReadonlyMap<string, InventoryItem>,
  listed: ReadonlySet<string>,
) {
  const unknown = new Set<string>();
  if (!listing.secrets) unknown.add('secret');
  if (!listing.keys) unknown.add('key');
  if (!listing.certificates && !listing.secrets) unknown.add('certificate');
  return [...existing.values()].filter((i) => unknown.has(i.type) && !listed.has(i.row));
}

/**
 * The vault worker: lists one vault within its budget, writes its items (the partition is replaced as a whole,
 * keyed by item id) and records the vault's outcome once. A failure is thrown back for redelivery until the last
 * delivery, which records `failed` with the error code so the scan still closes.
 */
export async function scanVault(deps: ScanDeps, unit: VaultUnit, lastAttempt: boolean): Promise<void> {
  const [scan, done] = await Promise.all([
    deps.scans.getScan(unit.scanId),
    deps.scans.getUnit(unit.scanId, unit.unitKey),
  ]);
  if (!scan || scan.status === 'completed') return;
  if (done) {
    await closeScanIfReady(deps, unit.scanId, unit.unitKey);
    return;
  }
  const retry = retryOptions(deps);
  const counter = requestCounter();
  const kvKeys = [
    { key: `kv/${unit.vaultId.toLowerCase()}`, rule: deps.rules.perVault },
    { key: `kvsub/${unit.subscriptionId.toLowerCase()}`, rule: deps.rules.perSubscription },
  ];
  const extras = { policies: [budgetPolicy(deps.budget, kvKeys, deps.wallMs), counter.policy] };
  const armExtras = {
    policies: [
      budgetPolicy(
        deps.budget,
        [{ key: `arm/${unit.subscriptionId}`, rule: deps.rules.armPerSubscription }],
        deps.wallMs,
      ),
      counter.policy,
    ],
  };
  const base = {
    unitKey: unit.unitKey,
    kind: 'vault' as const,
    subscriptionId: unit.subscriptionId,
    vaultName: unit.vaultName,
  };
  let result: UnitResult;
  const data = vaultDataClients(deps.cloud, unit.vaultUri, extras);
  try {
    // The stored partition (for removals, carried-over details, exclusions) is read while the vault is listed. A
    // vault no scan has recorded has none: a redelivery after its own earlier attempt wrote rows rewrites the items
    // listed again; a row of an item deleted in between stays until the vault's next scan removes it.
    const stored = unit.neverScanned ? Promise.resolve([]) : deps.inventory.readPartition(unit.unitKey);
    stored.catch(() => undefined);
    const listed = await listVault(data, retry);
    const deniedKinds = Object.keys(listed.denied);
    // Paged list errors do not carry Key Vault's inner code; ARM's network rules tell a firewall 403 apart.
    const firewalled =
      Object.values(listed.denied).includes('firewalled') || (unit.networkRestricted && deniedKinds.length === 3);
    let listing: VaultListing = listed.listing;
    if (firewalled) listing = await listVaultThroughArm(deps.cloud, unit, armExtras, retry).catch(() => listing);
    const nothingListed = !listing.secrets && !listing.certificates && !listing.keys;
    const outcome: UnitOutcome = firewalled
      ? 'firewalled'
      : deniedKinds.length > 0
        ? 'forbidden'
        : counter.throttled > 0
          ? 'throttled'
          : 'ok';
    let items = 0;
    let removed = 0;
    let listedKeys: InventoryItem[] | null = null;
    // A vault nothing could be listed from keeps its previous items: unknown is not deleted.
    if (!nothingListed) {
      const storedItems = await stored;
      const existing = new Map(storedItems.map((i) => [i.row, i]));
      const merged = mergeVaultListing(listing, { ...unit, partition: unit.unitKey }, unit.scanId);
      const drafts = deps.itemDetails ? await addDetails(merged, existing, data, retry) : merged;
      const now = deps.clock.now();
      const thresholds = await deps.thresholds();
      const full: InventoryItem[] = drafts.map((d) => ({
        ...d,
        severity: classify(d.expiresOn ? new Date(d.expiresOn) : null, now, thresholds),
        excluded: existing.get(d.row)?.excluded ?? false,
      }));
      items = full.length;
      if (listing.keys) listedKeys = full.filter((i) => i.type === 'key');
      full.push(...unlistedKept(listing, existing, new Set(full.map((i) => i.row))));
      ({ removed } = await deps.inventory.replacePartition(unit.unitKey, full, storedItems));
    }
    await collectVaultPosture(deps, unit, data.keys, listedKeys, armExtras, retry);
    result = {
      ...base,
      outcome,
      items,
      removed,
      deniedKinds,
      errorCode: null,
      throttledResponses: counter.throttled,
      requests: counter.requests,
      finishedAt: deps.clock.now().toISOString(),
    };
  } catch (error) {
    if (!lastAttempt) throw error;
    deps.log.warn(
      `vault ${unit.vaultName} failed on its last delivery (${errorCodeOf(error)}, status ${statusCodeOf(error) ?? '-'})`,
    );
    result = {
      ...base,
      outcome: 'failed',
      items: 0,
      removed: 0,
      deniedKinds: [],
      errorCode: errorCodeOf(error),
      throttledResponses: counter.throttled,
      requests: counter.requests,
      finishedAt: deps.clock.now().toISOString(),
    };
  } finally {
    // Nothing later in this scan talks to this vault again.
    data.close();
  }
  recordVaultRequests(result.requests);
  const now = result.finishedAt;
  await deps.estate.updateVault(unit.subscriptionId, unit.vaultName, {
    lastOutcome: result.outcome,
    lastScanId: unit.scanId,
    lastScannedAt: now,
    ...(result.outcome === 'ok' || result.outcome === 'throttled' ? { lastOkAt: now } : {}),
    deniedKinds: result.deniedKinds,
    errorCode: result.errorCode,
  });
  const { counted } = await deps.scans.recordUnit(unit.scanId, result);
  if (result.outcome !== 'ok' && result.outcome !== 'throttled') {
    // Published on every attempt that ends here, not only the counted one: the event id (scan + unit) makes a
    // repeat after a crash a duplicate the topic drops, where "only when counted" could lose it.
    await deps.publish('scan.vaultFailed', `scan.vaultFailed:${unit.scanId}:${unit.unitKey}`, {
      scanId: unit.scanId,
      unitKey: unit.unitKey,
      subscriptionId: unit.subscriptionId,
      vaultName: unit.vaultName,
      outcome: result.outcome,
      errorCode: result.errorCode ?? null,
    });
  }
  if (counted && result.outcome !== 'ok' && result.outcome !== 'throttled') {
    await auditScanEvent(deps.audit, deps.log, {
      action: 'discovery.vault.error',
      target: `vault/${unit.subscriptionId}/${unit.vaultName}`,
      outcome: 'failure',
      details: { scanId: unit.scanId, outcome: result.outcome, errorCode: result.errorCode ?? null },
    });
  }
  await closeScanIfReady(deps, unit.scanId, unit.unitKey);
}
