import type { TableClient, TransactionAction } from '@azure/data-tables';
import { isNotFound, storeCall } from '../runtime/store-errors';
import { submitActions } from '../runtime/table-transactions';
import type { Severity } from '../inventory/severity';
import type { UnitOutcome } from './scan-progress';
import { scanEntityCodec } from './scan-entity';

export const SUBSCRIPTIONS_TABLE = 'subscriptions';
export const VAULTS_TABLE = 'vaults';

/** A subscription as the last plan saw it. */
export interface SubscriptionRow {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly tenantId: string;
  /** ARM's `state` (Enabled, Warned, PastDue, Disabled, Deleted); rows stored before it was kept read as Enabled. */
  readonly state?: string;
  /** Inside the tier's subscription limit (scanned). */
  readonly included: boolean;
  /** ARM let the identity list the subscription's vaults. */
  readonly armAccess: boolean;
  readonly vaultCount: number;
  readonly lastSeenScanId: string;
}

/** A vault as the last plan and the last vault scan saw it. */
export interface VaultRow {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly vaultName: string;
  readonly vaultId: string;
  readonly vaultUri: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly rbac: boolean;
  readonly networkRestricted: boolean;
  readonly lastOutcome: UnitOutcome | null;
  readonly lastScanId: string | null;
  readonly lastScannedAt: string | null;
  readonly lastOkAt: string | null;
  readonly deniedKinds: readonly string[];
  readonly errorCode: string | null;
  readonly itemCount: number;
  /** Items of the vault the tier's item limit left out at the last evaluation (stored, not monitored). */
  readonly itemsLeftOut: number;
  readonly bySeverity: Readonly<Partial<Record<Severity, number>>>;
}

/** What the plan learns about a vault from ARM. */
export type VaultRegistration = Pick<
  VaultRow,
  | 'subscriptionId'
  | 'subscriptionName'
  | 'vaultName'
  | 'vaultId'
  | 'vaultUri'
  | 'resourceGroup'
  | 'location'
  | 'tags'
  | 'rbac'
  | 'networkRestricted'
>;

// A field cleared with a Merge is written as '' (a Merge cannot remove it) and reads back as its default.
const { toEntity, fromEntity } = scanEntityCodec(['tags', 'deniedKinds', 'bySeverity'], { emptyIsDefault: true });

const vaultDefaults: Partial<VaultRow> = {
  lastOutcome: null,
  lastScanId: null,
  lastScannedAt: null,
  lastOkAt: null,
  deniedKinds: [],
  errorCode: null,
  itemCount: 0,
  itemsLeftOut: 0,
  bySeverity: {},
  tags: {},
};

/** The estate the scans found: subscriptions and vaults, for the permission-status and discovery endpoints. */
export function createEstateStore(subscriptions: () => Promise<TableClient>, vaults: () => Promise<TableClient>) {
  async function listSubscriptions(): Promise<SubscriptionRow[]> {
    const client = await subscriptions();
    const out: SubscriptionRow[] = [];
    await storeCall('estate.subscriptions', async () => {
      for await (const e of client.listEntities()) out.push(fromEntity<SubscriptionRow>(e, {}));
    });
    return out.sort((a, b) => a.subscriptionName.localeCompare(b.subscriptionName));
  }

  async function putSubscriptions(rows: readonly SubscriptionRow[]): Promise<void> {
    const client = await subscriptions();
    await submitActions(
      client,
      'estate.transaction',
      rows.map((r) => ['upsert', toEntity('sub', r.subscriptionId, r), 'Replace']),
    );
  }

  async function removeSubscription(subscriptionId: string): Promise<void> {
    const client = await subscriptions();
    await storeCall('estate.subscription.delete', () => client.deleteEntity('sub', subscriptionId).catch(ignore404));
  }

  async function listVaults(): Promise<VaultRow[]> {
    const client = await vaults();
    const out: VaultRow[] = [];
    await storeCall('estate.vaults', async () => {
      for await (const e of client.listEntities()) out.push(fromEntity<VaultRow>(e, vaultDefaults));
    });
    return out;
  }

  /** Registers vaults the plan listed; merge keeps the outcome fields the vault workers wrote. */
  async function putVaults(rows: readonly VaultRegistration[]): Promise<void> {
    const client = await vaults();
    await submitActions(
      client,
      'estate.transaction',
      rows.map((r) => ['upsert', toEntity(r.subscriptionId, r.vaultName.toLowerCase(), r), 'Merge']),
    );
  }

  async function updateVault(subscriptionId: string, vaultName: string, patch: Partial<VaultRow>): Promise<void> {
    const client = await vaults();
    const entity = toEntity(subscriptionId, vaultName.toLowerCase(), patch);
    // `null` clears a field (e.g. the error code of a vault that recovered).
    for (const [k, v] of Object.entries(patch)) if (v === null) entity[k] = '';
    await storeCall('estate.vault.update', () => client.upsertEntity(entity, 'Merge'));
  }

  /** Writes per-vault counts after evaluation, one transaction per 100 vaults of a subscription. */
  async function putVaultCounts(
    rows: readonly Pick<VaultRow, 'subscriptionId' | 'vaultName' | 'itemCount' | 'itemsLeftOut' | 'bySeverity'>[],
  ): Promise<void> {
    const client = await vaults();
    const actions = rows.map(
      ({ subscriptionId, vaultName, itemCount, itemsLeftOut, bySeverity }): TransactionAction => {
        const counts = { itemCount, itemsLeftOut, bySeverity };
        return ['upsert', toEntity(subscriptionId, vaultName.toLowerCase(), counts), 'Merge'];
      },
    );
    await submitActions(client, 'estate.transaction', actions, 4);
  }

  async function removeVault(subscriptionId: string, vaultName: string): Promise<void> {
    const client = await vaults();
    await storeCall('estate.vault.delete', () =>
      client.deleteEntity(subscriptionId, vaultName.toLowerCase()).catch(ignore404),
    );
  }

  return {
    listSubscriptions,
    putSubscriptions,
    removeSubscription,
    listVaults,
    putVaults,
    updateVault,
    putVaultCounts,
    removeVault,
  };
}

function ignore404(error: unknown): void {
  if (!isNotFound(error)) throw error;
}

export type EstateStore = ReturnType<typeof createEstateStore>;
