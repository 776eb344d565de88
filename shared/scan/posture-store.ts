import type { TableClient, TransactionAction } from '@azure/data-tables';
import { storeCall } from '../runtime/store-errors';
import { submitActions } from '../runtime/table-transactions';

export const POSTURE_TABLE = 'posture';

/** A vault's configuration as ARM reports it (the plan) plus its diagnostic settings (the vault worker). */
export interface VaultPosture {
  readonly sku: string;
  readonly softDeleteEnabled: boolean;
  readonly softDeleteRetentionDays: number;
  readonly purgeProtectionEnabled: boolean;
  readonly rbacAuthorization: boolean;
  readonly publicNetworkAccess: string;
  readonly networkDefaultAction: string;
  readonly trustedServicesBypass: boolean;
  readonly privateEndpointCount: number;
}

export interface VaultDiagnostics {
  /** False when the diagnostic settings could not be read (no role): unknown, never "off". */
  readonly diagnosticsKnown: boolean;
  readonly diagnosticLogsEnabled: boolean;
}

export interface KeyRotation {
  readonly rotationPolicyKnown: boolean;
  readonly hasRotateAction: boolean;
  readonly rotationExpiryTime: string;
}

export interface SubscriptionPosture {
  readonly defenderKnown: boolean;
  readonly defenderForKeyVault: boolean;
}

export interface AppPosture {
  readonly appId: string;
  readonly displayName: string;
  readonly signInAudience: string;
  readonly ownersKnown: boolean;
  readonly ownerCount: number;
}

/**
 * Row layout: a vault's posture and diagnostics in (vault partition, `vault`), each key's rotation policy in
 * (vault partition, `key_<item row>`), a subscription's Defender plan in (`subscriptions`, id), an app's audience and
 * owners in (directory partition, `app_<object id>`). Plan and vault worker write different fields of the vault
 * row with Merge, so neither overwrites the other.
 */
export function createPostureStore(table: () => Promise<TableClient>) {
  async function merge(rows: readonly { pk: string; rk: string; value: object }[]): Promise<void> {
    if (rows.length === 0) return;
    const client = await table();
    const actions = rows.map((r): TransactionAction => [
      'upsert',
      { partitionKey: r.pk, rowKey: r.rk, ...r.value },
      'Merge',
    ]);
    await submitActions(client, 'posture.transaction', actions, 4);
  }

  async function replacePartitionRows(pk: string, prefix: string, rows: readonly { rk: string; value: object }[]) {
    const client = await table();
    const keep = new Set(rows.map((r) => r.rk));
    const stale: TransactionAction[] = [];
    await storeCall('posture.list', async () => {
      for await (const e of client.listEntities({
        queryOptions: { filter: `PartitionKey eq '${pk.replace(/'/g, "''")}'`, select: ['rowKey'] },
      })) {
        const rk = e.rowKey ?? '';
        if (rk.startsWith(prefix) && !keep.has(rk)) stale.push(['delete', { partitionKey: pk, rowKey: rk }]);
      }
    });
    await submitActions(client, 'posture.transaction', stale, 4);
    await merge(rows.map((r) => ({ pk, rk: r.rk, value: r.value })));
  }

  async function readAll(): Promise<Map<string, Map<string, Record<string, unknown>>>> {
    const client = await table();
    const out = new Map<string, Map<string, Record<string, unknown>>>();
    await storeCall('posture.readAll', async () => {
      for await (const e of client.listEntities()) {
        const pk = e.partitionKey ?? '';
        const rows = out.get(pk) ?? new Map<string, Record<string, unknown>>();
        rows.set(e.rowKey ?? '', e as Record<string, unknown>);
        out.set(pk, rows);
      }
    });
    return out;
  }

  return {
    putVaults: (rows: readonly { partition: string; posture: VaultPosture }[]) =>
      merge(rows.map((r) => ({ pk: r.partition, rk: 'vault', value: r.posture }))),
    putDiagnostics: (partition: string, diagnostics: VaultDiagnostics) =>
      merge([{ pk: partition, rk: 'vault', value: diagnostics }]),
    /** The vault's key rows become exactly these (keys gone since lose theirs). */
    putKeyRotations: (partition: string, keys: readonly { row: string; rotation: KeyRotation }[]) =>
      replacePartitionRows(
        partition,
        'key_',
        keys.map((k) => ({ rk: `key_${k.row}`, value: k.rotation })),
      ),
    putSubscriptions: (rows: readonly { subscriptionId: string; posture: SubscriptionPosture }[]) =>
      merge(rows.map((r) => ({ pk: 'subscriptions', rk: r.subscriptionId.toLowerCase(), value: r.posture }))),
    putApps: (partition: string, apps: readonly { objectId: string; posture: AppPosture }[]) =>
      replacePartitionRows(
        partition,
        'app_',
        apps.map((a) => ({ rk: `app_${a.objectId.toLowerCase()}`, value: a.posture })),
      ),
    /** Every row, by partition then row key (the compliance evaluation reads the whole posture once per scan). */
    readAll,
  };
}

export type PostureStore = ReturnType<typeof createPostureStore>;
