import { defaultKeyOps } from './keyvault-key-material';
import type { ItemKind, ItemVersion, VaultItem, VaultState } from './tenant-state';

/**
 * JSON shapes of the Key Vault data plane, api-version 2025-07-01 (Azure/azure-rest-api-specs
 * specification/keyvault/data-plane/{Secrets,Certificates,Keys}/stable/2025-07-01/{secrets,certificates,keys}.json
 * and their examples; the version @azure/keyvault-secrets 4.11, -certificates 4.10 and -keys 4.10 send). Dates
 * are epoch seconds.
 */
export function attributesOf(vault: VaultState, v: ItemVersion): Record<string, unknown> {
  const soft = vault.spec.enableSoftDelete;
  return {
    enabled: v.enabled,
    ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
    ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created,
    updated: v.updated,
    recoveryLevel: !soft ? 'Purgeable' : vault.spec.enablePurgeProtection ? 'Recoverable' : 'Recoverable+Purgeable',
    ...(soft ? { recoverableDays: 90 } : {}),
  };
}

export function currentVersion(item: VaultItem): ItemVersion | undefined {
  return item.versions[item.versions.length - 1];
}

function itemId(vault: VaultState, kind: ItemKind, name: string, version?: string): string {
  return `${vault.uri}/${kind}/${name}${version ? `/${version}` : ''}`;
}

/** A list entry (SecretItem / CertificateItem / KeyItem); `withVersion` for the versions listings. */
export function itemSummary(vault: VaultState, kind: ItemKind, item: VaultItem, v: ItemVersion, withVersion: boolean) {
  const base = { attributes: attributesOf(vault, v), tags: v.tags };
  const id = itemId(vault, kind, item.name, withVersion ? v.version : undefined);
  if (kind === 'secrets') {
    return {
      id,
      ...base,
      ...(v.contentType ? { contentType: v.contentType } : {}),
      ...(v.managed ? { managed: true } : {}),
    };
  }
  if (kind === 'certificates') return { id, ...base, x5t: v.x5t };
  return { kid: id, ...base, ...(v.managed ? { managed: true } : {}) };
}

export function secretBundle(vault: VaultState, item: VaultItem, v: ItemVersion) {
  return {
    value: v.value,
    id: itemId(vault, 'secrets', item.name, v.version),
    attributes: attributesOf(vault, v),
    tags: v.tags,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    ...(v.managed ? { managed: true, kid: itemId(vault, 'keys', item.name, v.version) } : {}),
  };
}

/** A KeyBundle: the public JWK (`material`: n/e or crv/x/y, never the private half) and the key's attributes. */
export function keyBundle(vault: VaultState, item: VaultItem, v: ItemVersion, material: Record<string, string>) {
  return {
    key: {
      kid: itemId(vault, 'keys', item.name, v.version),
      kty: v.kty ?? 'RSA',
      key_ops: v.keyOps ?? defaultKeyOps(v.kty),
      ...material,
    },
    attributes: attributesOf(vault, v),
    tags: v.tags,
    ...(v.managed ? { managed: true } : {}),
  };
}

export function certificateBundle(vault: VaultState, item: VaultItem, v: ItemVersion, cer: string) {
  const name = item.name;
  return {
    id: itemId(vault, 'certificates', name, v.version),
    kid: itemId(vault, 'keys', name, v.version),
    sid: itemId(vault, 'secrets', name, v.version),
    x5t: v.x5t,
    cer,
    attributes: attributesOf(vault, v),
    tags: v.tags,
    policy: certificatePolicy(vault, item, v),
  };
}

/** The policy a certificate version was created or imported with; seeded certificates get Key Vault's default one. */
export function certificatePolicy(vault: VaultState, item: VaultItem, v: ItemVersion): Record<string, unknown> {
  const name = item.name;
  if (v.policy) return { id: `${itemId(vault, 'certificates', name)}/policy`, ...v.policy };
  return {
    id: `${itemId(vault, 'certificates', name)}/policy`,
    key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
    secret_props: { contentType: 'application/x-pkcs12' },
    x509_props: {
      subject: v.subject,
      sans: {},
      key_usage: ['digitalSignature', 'keyEncipherment'],
      validity_months: 12,
    },
    lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'EmailContacts' } }],
    issuer: { name: v.issuer === v.subject ? 'Self' : 'Unknown' },
    attributes: { enabled: true, created: v.created, updated: v.updated },
  };
}

export function deletedBundle(vault: VaultState, kind: ItemKind, name: string, deletedAt: number) {
  return {
    recoveryId: `${vault.uri}/deleted${kind}/${name}`,
    deletedDate: deletedAt,
    scheduledPurgeDate: deletedAt + 90 * 24 * 60 * 60,
  };
}
