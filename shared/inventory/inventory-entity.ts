import type { TableEntity } from '@azure/data-tables';
import type { InventoryItem, ItemSource, ItemType } from './inventory-item';
import { severities, type Severity } from './severity';

/** The Table Storage row of an item: flat properties, tags as JSON text, nulls left out. */
export type ItemEntity = TableEntity<Record<string, string | number | boolean>>;

export function toItemEntity(item: InventoryItem): ItemEntity {
  const entity: ItemEntity = { partitionKey: item.partition, rowKey: item.row };
  for (const [key, value] of Object.entries(item)) {
    if (key === 'partition' || key === 'row' || key === 'id' || value === null || value === undefined) continue;
    entity[key] = key === 'tags' || key === 'vaultTags' ? JSON.stringify(value) : (value as string | number | boolean);
  }
  return entity;
}

const str = (e: Record<string, unknown>, key: string): string | null => {
  const v = e[key];
  return typeof v === 'string' ? v : null;
};

const tags = (text: string | null): Record<string, string> => {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
};

export function fromItemEntity(e: Record<string, unknown> & { partitionKey?: string; rowKey?: string }): InventoryItem {
  const partition = e.partitionKey ?? '';
  const row = e.rowKey ?? '';
  const severity = str(e, 'severity');
  const keySize = e.keySize;
  return {
    id: `${partition}~${row}`,
    partition,
    row,
    type: (str(e, 'type') ?? 'secret') as ItemType,
    source: (str(e, 'source') ?? 'keyvault') as ItemSource,
    name: str(e, 'name') ?? '',
    version: str(e, 'version'),
    enabled: e.enabled !== false,
    notBefore: str(e, 'notBefore'),
    expiresOn: str(e, 'expiresOn'),
    createdOn: str(e, 'createdOn'),
    updatedOn: str(e, 'updatedOn'),
    contentType: str(e, 'contentType'),
    tags: tags(str(e, 'tags')),
    thumbprint: str(e, 'thumbprint'),
    issuer: str(e, 'issuer'),
    subject: str(e, 'subject'),
    keyType: str(e, 'keyType'),
    keySize: typeof keySize === 'number' ? keySize : null,
    keyOps: str(e, 'keyOps'),
    vaultName: str(e, 'vaultName'),
    vaultId: str(e, 'vaultId'),
    vaultTags: tags(str(e, 'vaultTags')),
    subscriptionId: str(e, 'subscriptionId'),
    subscriptionName: str(e, 'subscriptionName'),
    appId: str(e, 'appId'),
    appObjectId: str(e, 'appObjectId'),
    appDisplayName: str(e, 'appDisplayName'),
    lastSeenScanId: str(e, 'lastSeenScanId') ?? '',
    severity: severity && (severities as readonly string[]).includes(severity) ? (severity as Severity) : 'noExpiry',
    excluded: e.excluded === true,
  };
}
