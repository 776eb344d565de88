import { itemId, type InventoryItem, type ItemSource, type ItemType } from '../inventory/inventory-item';

/** Metadata common to the three Key Vault list operations (latest version only; never a value). */
export interface ListedObject {
  readonly name: string;
  readonly version: string | null;
  readonly enabled: boolean;
  readonly notBefore: Date | null;
  readonly expiresOn: Date | null;
  readonly createdOn: Date | null;
  readonly updatedOn: Date | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Set by Key Vault on the secret and key that back a certificate. */
  readonly managed: boolean;
  readonly contentType: string | null;
}

export interface ListedCertificate extends ListedObject {
  readonly thumbprint: string | null;
  readonly issuer: string | null;
  readonly subject: string | null;
}

export interface ListedKey extends ListedObject {
  readonly keyType: string | null;
  readonly keySize: number | null;
}

/** What one vault's list calls returned; `null` for a kind the caller could not list. */
export interface VaultListing {
  readonly secrets: readonly ListedObject[] | null;
  readonly certificates: readonly ListedCertificate[] | null;
  readonly keys: readonly ListedKey[] | null;
  readonly source: ItemSource;
}

export interface VaultContext {
  readonly partition: string;
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly vaultName: string;
  readonly vaultId: string;
  readonly vaultTags: Readonly<Record<string, string>>;
}

/** An item as a vault worker writes it; evaluation fills in severity and the tier exclusion later. */
export type ItemDraft = Omit<InventoryItem, 'severity' | 'excluded'>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Turns one vault's listings into inventory items. A certificate's backing secret and key (`managed`) are the
 * certificate, not separate credentials: they merge into it. When the certificate list itself was denied, the
 * backing secret (or, failing that, the key) stands in for the certificate so it is still watched.
 */
export function mergeVaultListing(listing: VaultListing, vault: VaultContext, scanId: string): ItemDraft[] {
  const items = new Map<string, ItemDraft>();
  const add = (type: ItemType, o: ListedObject, extra: Partial<ItemDraft> = {}): void => {
    const row = `${type}_${o.name.toLowerCase()}`;
    if (items.has(row)) return;
    items.set(row, {
      id: itemId(vault.partition, row),
      partition: vault.partition,
      row,
      type,
      source: listing.source,
      name: o.name,
      version: o.version,
      enabled: o.enabled,
      notBefore: iso(o.notBefore),
      expiresOn: iso(o.expiresOn),
      createdOn: iso(o.createdOn),
      updatedOn: iso(o.updatedOn),
      contentType: o.contentType,
      tags: o.tags,
      thumbprint: null,
      issuer: null,
      subject: null,
      keyType: null,
      keySize: null,
      keyOps: null,
      vaultName: vault.vaultName,
      vaultId: vault.vaultId,
      vaultTags: vault.vaultTags,
      subscriptionId: vault.subscriptionId,
      subscriptionName: vault.subscriptionName,
      appId: null,
      appObjectId: null,
      appDisplayName: null,
      lastSeenScanId: scanId,
      ...extra,
    });
  };

  const backing = new Map<string, string>();
  for (const s of listing.secrets ?? [])
    if (s.managed && s.contentType) backing.set(s.name.toLowerCase(), s.contentType);
  for (const c of listing.certificates ?? []) {
    add('certificate', c, {
      thumbprint: c.thumbprint,
      issuer: c.issuer,
      subject: c.subject,
      contentType: backing.get(c.name.toLowerCase()) ?? c.contentType,
    });
  }
  for (const s of listing.secrets ?? []) add(s.managed ? 'certificate' : 'secret', s);
  for (const k of listing.keys ?? []) {
    if (k.managed) add('certificate', k);
    else add('key', k, { keyType: k.keyType, keySize: k.keySize });
  }
  return [...items.values()].sort((a, b) => (a.row < b.row ? -1 : a.row > b.row ? 1 : 0));
}
