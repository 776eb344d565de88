import { createHash } from 'node:crypto';
import { defaultShape, type KeyShape } from './keyvault-key-material';
import type { ApplicationSpec, Tenant, VaultSpec } from './tenant-schema';

const DAY_SECONDS = 24 * 60 * 60;

/** One version of a secret, certificate or key, with Key Vault's epoch-second attributes. */
export interface ItemVersion {
  readonly version: string;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  readonly created: number;
  updated: number;
  tags: Record<string, string>;
  contentType?: string;
  /** Set on the secret and key that back a certificate (Key Vault manages them). */
  readonly managed?: boolean;
  /** Secret value (secrets only). Never logged. */
  value?: string;
  readonly kty?: string;
  /** Operations a key allows (`key_ops`); when absent, Key Vault's defaults for its type (`defaultKeyOps`). */
  readonly keyOps?: readonly string[];
  /** Type and size of a key created or imported through the API (seeded keys take Key Vault's defaults). */
  readonly keyShape?: KeyShape;
  /** A certificate created or imported through the API: its DER (base64) and the policy it was made with. */
  readonly cer?: string;
  readonly policy?: Record<string, unknown>;
  /** RSA modulus bits / EC curve of a key (compliance key-strength rules). */
  readonly keySize?: number;
  readonly curve?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly x5t?: string;
}

export type ItemKind = 'secrets' | 'certificates' | 'keys';

export interface VaultItem {
  readonly name: string;
  /** Oldest first; the last entry is the current version. */
  readonly versions: ItemVersion[];
}

export interface VaultState {
  readonly spec: VaultSpec;
  readonly subscriptionId: string;
  readonly armId: string;
  /** Filled in once the vault's listener has a port. */
  uri: string;
  readonly items: Record<ItemKind, Map<string, VaultItem>>;
  /** Soft-deleted items, by kind and name, with the epoch second they were deleted. */
  readonly deleted: Record<ItemKind, Map<string, { item: VaultItem; deletedAt: number }>>;
}

export interface GraphCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly customKeyIdentifier: string | null;
  readonly hint: string | null;
  readonly type?: string;
  readonly usage?: string;
  /** Base64 DER of a key credential's certificate (keyCredentials `key`; Graph returns it only on request). */
  readonly key?: string;
}

export interface ApplicationState {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly createdDateTime: string;
  readonly owners: ApplicationSpec['owners'];
  readonly ownedByCaller: boolean;
  readonly policy: ApplicationSpec['policy'];
  passwordCredentials: GraphCredential[];
  keyCredentials: GraphCredential[];
  /** Credentials on the app's service principal (enterprise SSO apps: the SAML signing certificate and password). */
  readonly servicePrincipalPasswords: GraphCredential[];
  readonly servicePrincipalKeys: GraphCredential[];
}

export interface TenantState {
  readonly tenant: Tenant;
  readonly vaults: VaultState[];
  readonly applications: ApplicationState[];
}

/** Deterministic 32-hex id (Key Vault version ids) or GUID from a seed string. */
export function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export function guid(seed: string): string {
  const h = hexId(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Turns the relative document into absolute state, anchored at `now`. */
export function materializeTenant(tenant: Tenant, now: Date): TenantState {
  const nowSec = Math.floor(now.getTime() / 1000);
  const at = (d: number): number => nowSec + Math.round(d * DAY_SECONDS);
  const vaults = tenant.subscriptions.flatMap((sub) =>
    sub.vaults.map((spec) => materializeVault(sub.subscriptionId, spec, at)),
  );
  const applications = tenant.applications.map((app) => materializeApplication(app, now));
  return { tenant, vaults, applications };
}

type Relative = { expiresInDays: number | null; createdInDays: number; notBeforeInDays: number | null };

function versionsOf(seed: string, count: number, item: Relative, at: (d: number) => number) {
  // Older versions precede the current one by 90 days each, and expired when their successor appeared.
  return Array.from({ length: count }, (_, i) => {
    const age = (count - 1 - i) * 90;
    const created = at(item.createdInDays - age);
    const exp = i === count - 1 ? item.expiresInDays : item.createdInDays - age + 90;
    return {
      version: hexId(`${seed}/${i}`),
      created,
      updated: created,
      exp: exp === null ? undefined : at(exp),
      nbf: item.notBeforeInDays === null ? undefined : at(item.notBeforeInDays - age),
    };
  });
}

function materializeVault(subscriptionId: string, spec: VaultSpec, at: (d: number) => number): VaultState {
  const armId = `/subscriptions/${subscriptionId}/resourceGroups/${spec.resourceGroup}/providers/Microsoft.KeyVault/vaults/${spec.name}`;
  const items: VaultState['items'] = { secrets: new Map(), certificates: new Map(), keys: new Map() };
  const put = (kind: ItemKind, name: string, versions: ItemVersion[]): void => {
    items[kind].set(name, { name, versions });
  };
  for (const s of spec.secrets) {
    const seed = `${armId}/secrets/${s.name}`;
    put(
      'secrets',
      s.name,
      versionsOf(seed, s.versions, s, at).map((v, i, all) => ({
        ...v,
        enabled: i === all.length - 1 ? s.enabled : true,
        tags: { ...s.tags },
        contentType: s.contentType,
        value: `sim-${hexId(`${seed}/${v.version}/value`)}`,
      })),
    );
  }
  for (const c of spec.certificates) {
    const seed = `${armId}/certificates/${c.name}`;
    // `nbf`/`exp` are the certificate's notBefore/notAfter (its `cer` is issued with them; x5t is its hash, taken
    // where the `cer` is made, keyvault-route-kit.ts).
    const versions = versionsOf(seed, c.versions, c, at).map((v, i, all) => ({
      ...v,
      nbf: v.nbf ?? v.created,
      enabled: i === all.length - 1 ? c.enabled : true,
      tags: { ...c.tags },
      subject: c.subject,
      issuer: c.issuer,
      ...(c.key ? { keyShape: defaultShape(c.key.kty, c.key.size, c.key.curve) } : {}),
    }));
    put('certificates', c.name, versions);
    // Key Vault creates a managed secret and key with the certificate's name and versions.
    const backing = versions.map(({ subject: _s, issuer: _i, ...v }) => ({ ...v, tags: {}, managed: true }));
    put(
      'secrets',
      c.name,
      backing.map((v) => ({ ...v, contentType: 'application/x-pkcs12', value: `sim-pfx-${v.version}` })),
    );
    put(
      'keys',
      c.name,
      backing.map((v) => ({ ...v, kty: v.keyShape?.kty ?? 'RSA' })),
    );
  }
  for (const k of spec.keys) {
    const seed = `${armId}/keys/${k.name}`;
    put(
      'keys',
      k.name,
      versionsOf(seed, k.versions, k, at).map((v, i, all) => ({
        ...v,
        enabled: i === all.length - 1 ? k.enabled : true,
        tags: { ...k.tags },
        kty: k.kty,
        keySize: k.size,
        curve: k.curve,
        ...(k.keyOps ? { keyOps: k.keyOps } : {}),
      })),
    );
  }
  const deleted: VaultState['deleted'] = { secrets: new Map(), certificates: new Map(), keys: new Map() };
  return { spec, subscriptionId, armId, uri: '', items, deleted };
}

function materializeApplication(app: ApplicationSpec, now: Date): ApplicationState {
  const iso = (d: number): string => new Date(now.getTime() + d * DAY_SECONDS * 1000).toISOString();
  const id = app.id ?? guid(`application/${app.displayName}`);
  return {
    id,
    appId: app.appId ?? guid(`appId/${app.displayName}`),
    displayName: app.displayName,
    createdDateTime: iso(-400),
    owners: app.owners,
    ownedByCaller: app.ownedByCaller,
    policy: app.policy,
    passwordCredentials: app.passwordCredentials.map((c, i) => ({
      keyId: guid(`${id}/password/${i}`),
      displayName: c.displayName,
      startDateTime: iso(c.startInDays),
      endDateTime: iso(c.endInDays),
      customKeyIdentifier: null,
      hint: hexId(`${id}/hint/${i}`).slice(0, 3),
    })),
    keyCredentials: app.keyCredentials.map((c, i) => ({
      keyId: guid(`${id}/key/${i}`),
      displayName: c.displayName,
      startDateTime: iso(c.startInDays),
      endDateTime: iso(c.endInDays),
      customKeyIdentifier: hexId(`${id}/thumb/${i}`).slice(0, 40).toUpperCase(),
      hint: null,
      type: c.type,
      usage: 'Verify',
    })),
    ...samlCredentials(id, app.samlSigningEndInDays, iso),
  };
}

/**
 * The credentials Entra ID puts on an SSO app's service principal when a SAML signing certificate is created: the
 * certificate twice (usage Sign with the private key, Verify with the public key, one customKeyIdentifier) and a
 * password credential holding the key's protection secret, all valid three years by default.
 */
function samlCredentials(id: string, endInDays: number | undefined, iso: (d: number) => string) {
  if (endInDays === undefined) return { servicePrincipalPasswords: [], servicePrincipalKeys: [] };
  const thumb = hexId(`${id}/saml`).slice(0, 40).toUpperCase();
  const common = {
    displayName: 'CN=Microsoft Azure Federated SSO Certificate',
    startDateTime: iso(endInDays - 3 * 365),
  };
  return {
    servicePrincipalPasswords: [
      {
        ...common,
        keyId: guid(`${id}/saml/password`),
        endDateTime: iso(endInDays),
        customKeyIdentifier: thumb,
        hint: null,
      },
    ],
    servicePrincipalKeys: (['Sign', 'Verify'] as const).map((usage) => ({
      ...common,
      keyId: guid(`${id}/saml/${usage}`),
      endDateTime: iso(endInDays),
      customKeyIdentifier: thumb,
      hint: null,
      type: 'AsymmetricX509Cert',
      usage,
    })),
  };
}
