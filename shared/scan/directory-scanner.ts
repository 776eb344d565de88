import { budgetPolicy } from '../cloud/budget-policy';
import { itemId, type InventoryItem, type ItemType } from '../inventory/inventory-item';
import { classify } from '../inventory/severity';
import { closeScanIfReady } from './scan-closer';
import { retryOptions, type ScanDeps } from './scan-deps';
import { withRetries } from './scan-retry';
import type { DirectoryUnit, UnitResult } from './scan-types';
import { errorCodeOf, requestCounter } from './vault-scanner';
import { collectPosture, readAppPosture } from './vault-posture';

/** The credential fields read from Graph; `hint` (the first characters of a secret) is never selected. */
interface GraphCredential {
  readonly keyId?: string;
  readonly displayName?: string | null;
  readonly startDateTime?: string | null;
  readonly endDateTime?: string | null;
  readonly type?: string;
}

interface GraphObject {
  readonly id: string;
  readonly appId?: string;
  readonly displayName?: string | null;
  readonly passwordCredentials?: readonly GraphCredential[];
  readonly keyCredentials?: readonly GraphCredential[];
}

/** The tag on an app-credential item that a rotation record covers: the record's id. */
export const ROTATION_RECORD_TAG = 'keyward-rotation-record';

const SELECT = '$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=999';

/** App registration and service principal credentials as inventory items (one per credential keyId). */
export function directoryItems(
  partition: string,
  objects: readonly { kind: 'app' | 'sp'; o: GraphObject }[],
  scanId: string,
  coverage: ReadonlyMap<string, string> = new Map(),
): Omit<InventoryItem, 'severity' | 'excluded'>[] {
  const out = new Map<string, Omit<InventoryItem, 'severity' | 'excluded'>>();
  for (const { kind, o } of objects) {
    const creds: [ItemType, GraphCredential][] = [
      ...(o.passwordCredentials ?? []).map((c): [ItemType, GraphCredential] => ['appSecret', c]),
      ...(o.keyCredentials ?? []).map((c): [ItemType, GraphCredential] => ['appCertificate', c]),
    ];
    for (const [type, c] of creds) {
      const keyId = c.keyId ?? '';
      // The same certificate is listed once per usage (Sign, Verify) with distinct keyIds; each is a credential.
      const row = `${type}_${kind}_${o.id}_${keyId}`.toLowerCase();
      out.set(row, {
        id: itemId(partition, row),
        partition,
        row,
        type,
        source: 'graph',
        name: c.displayName || keyId,
        version: keyId || null,
        enabled: true,
        notBefore: c.startDateTime ?? null,
        expiresOn: c.endDateTime ?? null,
        createdOn: c.startDateTime ?? null,
        updatedOn: null,
        contentType: type === 'appCertificate' ? (c.type ?? null) : null,
        // A credential a rotation record covers is marked with the record's id (docs/rotation.md).
        tags: coverage.has(keyId) ? { [ROTATION_RECORD_TAG]: coverage.get(keyId) ?? '' } : {},
        thumbprint: null,
        issuer: null,
        subject: null,
        keyType: null,
        keySize: null,
        keyOps: null,
        vaultName: null,
        vaultId: null,
        vaultTags: {},
        subscriptionId: null,
        subscriptionName: null,
        appId: o.appId ?? null,
        appObjectId: o.id,
        appDisplayName: o.displayName ?? null,
        lastSeenScanId: scanId,
      });
    }
  }
  return [...out.values()];
}

/** The directory unit: app registration and service principal credentials from Graph (`$select`, `$top=999`). */
export async function scanDirectory(deps: ScanDeps, unit: DirectoryUnit, lastAttempt: boolean): Promise<void> {
  const scan = await deps.scans.getScan(unit.scanId);
  if (!scan || scan.status === 'completed') return;
  if (await deps.scans.getUnit(unit.scanId, unit.unitKey)) {
    await closeScanIfReady(deps, unit.scanId, unit.unitKey);
    return;
  }
  const counter = requestCounter();
  const graph = deps.cloud.graph({
    policies: [budgetPolicy(deps.budget, [{ key: 'graph', rule: deps.rules.graph }], deps.wallMs), counter.policy],
  });
  const retry = retryOptions(deps);
  const base = {
    unitKey: unit.unitKey,
    kind: 'directory' as const,
    subscriptionId: null,
    vaultName: null,
    deniedKinds: [],
  };
  let result: UnitResult;
  try {
    const [apps, sps] = await Promise.all([
      withRetries(() => graph.listAll<GraphObject>(`/v1.0/applications?${SELECT}`), retry),
      withRetries(() => graph.listAll<GraphObject>(`/v1.0/servicePrincipals?${SELECT}`), retry),
    ]);
    const now = deps.clock.now();
    const thresholds = await deps.thresholds();
    const existing = new Map((await deps.inventory.readPartition(unit.unitKey)).map((i) => [i.row, i]));
    const items: InventoryItem[] = directoryItems(
      unit.unitKey,
      [...apps.map((o) => ({ kind: 'app' as const, o })), ...sps.map((o) => ({ kind: 'sp' as const, o }))],
      unit.scanId,
      // Only app registrations' credentials are rotated; a service principal's share no keyIds with them.
      (await deps.rotationCoverage?.()) ?? new Map(),
    ).map((d) => ({
      ...d,
      severity: classify(d.expiresOn ? new Date(d.expiresOn) : null, now, thresholds),
      excluded: existing.get(d.row)?.excluded ?? false,
    }));
    const { removed } = await deps.inventory.replacePartition(unit.unitKey, items);
    const posture = deps.posture;
    if (posture) {
      await collectPosture(deps, 'app registrations', async () => {
        await posture.putApps(unit.unitKey, await readAppPosture(graph, retry));
      });
    }
    const outcome = counter.throttled > 0 ? 'throttled' : 'ok';
    result = {
      ...base,
      outcome,
      items: items.length,
      removed,
      errorCode: null,
      throttledResponses: counter.throttled,
      requests: counter.requests,
      finishedAt: now.toISOString(),
    };
  } catch (error) {
    // No Graph permission will not fix itself on redelivery; anything else is retried until the last delivery.
    const forbidden = (error as { statusCode?: number }).statusCode === 403;
    if (!lastAttempt && !forbidden) throw error;
    result = {
      ...base,
      outcome: forbidden ? 'forbidden' : 'failed',
      items: 0,
      removed: 0,
      errorCode: errorCodeOf(error),
      throttledResponses: counter.throttled,
      requests: counter.requests,
      finishedAt: deps.clock.now().toISOString(),
    };
  }
  await deps.scans.recordUnit(unit.scanId, result);
  await closeScanIfReady(deps, unit.scanId, unit.unitKey);
}
