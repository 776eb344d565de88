import type { Severity } from './severity';

/** Kinds of credential Keyward inventories; the discovery API's `type` filter uses the same names. */
export const itemTypes = ['secret', 'key', 'certificate', 'appSecret', 'appCertificate'] as const;
export type ItemType = (typeof itemTypes)[number];

/** Where the metadata came from: the Key Vault data plane, the ARM fallback for firewalled vaults, or Graph. */
export type ItemSource = 'keyvault' | 'arm' | 'graph';

/**
 * One credential's metadata (never a value): the latest version of a Key Vault secret, key or certificate, or one
 * app registration credential. `severity` and `excluded` are set when the scan closes (evaluation).
 */
export interface InventoryItem {
  /** Stable id: `<partition>~<row>`; the same credential always gets the same id. */
  readonly id: string;
  /** A vault (`<subscriptionId>_<vault name>`) or the tenant's app registrations (`entra_<tenantId>`). */
  readonly partition: string;
  readonly row: string;
  readonly type: ItemType;
  readonly source: ItemSource;
  readonly name: string;
  readonly version: string | null;
  readonly enabled: boolean;
  readonly notBefore: string | null;
  readonly expiresOn: string | null;
  readonly createdOn: string | null;
  readonly updatedOn: string | null;
  readonly contentType: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Certificates: hex SHA-1 thumbprint, issuer and subject DNs from the public certificate. */
  readonly thumbprint: string | null;
  readonly issuer: string | null;
  readonly subject: string | null;
  /** Keys and certificates' keys: JWK key type and size in bits (RSA modulus, EC curve size). */
  readonly keyType: string | null;
  readonly keySize: number | null;
  /** Keys: the operations the key allows (JWK `key_ops`), comma-separated as Key Vault lists them. */
  readonly keyOps: string | null;
  readonly vaultName: string | null;
  readonly vaultId: string | null;
  /** Vault resource tags (owner, team…) copied onto each item, so reminders route without a second read. */
  readonly vaultTags: Readonly<Record<string, string>>;
  readonly subscriptionId: string | null;
  readonly subscriptionName: string | null;
  /** App registration credentials: the application's appId, object id and display name. */
  readonly appId: string | null;
  readonly appObjectId: string | null;
  readonly appDisplayName: string | null;
  readonly lastSeenScanId: string;
  readonly severity: Severity;
  /** Left out by the tier's item limit: kept for the next scan, hidden from counts and lists. */
  readonly excluded: boolean;
}

/** Table keys may not contain / \ # ? or control characters; ours are built from ids and names that never do. */
export function itemId(partition: string, row: string): string {
  return `${partition}~${row}`;
}

export function splitItemId(id: string): { partition: string; row: string } | null {
  const at = id.indexOf('~');
  if (at <= 0 || at === id.length - 1) return null;
  return { partition: id.slice(0, at), row: id.slice(at + 1) };
}

export function vaultPartition(subscriptionId: string, vaultName: string): string {
  return `${subscriptionId.toLowerCase()}_${vaultName.toLowerCase()}`;
}

export function directoryPartition(tenantId: string): string {
  return `entra_${tenantId.toLowerCase()}`;
}
