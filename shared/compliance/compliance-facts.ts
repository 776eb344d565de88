/**
 * The facts rules read: one typed record per resource, built from the inventory, the estate and the posture the
 * scan collected (metadata only, never a value). Built-in rules and custom CEL rules read the same fields, so the
 * documented variable set (`celSchemas`, docs/compliance.md) is the one contract. Unknown data is never a default
 * that passes: each record says what could be read (`*Known` flags), and rules that need it give "not evaluated".
 */
export const scopes = ['subscription', 'vault', 'secret', 'key', 'certificate', 'appCredential', 'app'] as const;
export type Scope = (typeof scopes)[number];
/** Scopes a custom rule may name (the list; subscriptions are covered by built-ins only). */
export const customScopes = ['vault', 'secret', 'key', 'certificate', 'appCredential', 'app'] as const;
export type CustomScope = (typeof customScopes)[number];

export interface SubscriptionFacts {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  /** Microsoft.Security/pricings/KeyVaults could be read. */
  readonly defenderKnown: boolean;
  readonly defenderForKeyVault: boolean;
}

export interface VaultFacts {
  readonly name: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly sku: string;
  readonly softDeleteEnabled: boolean;
  readonly softDeleteRetentionDays: number;
  readonly purgeProtectionEnabled: boolean;
  readonly rbacAuthorization: boolean;
  /** `Enabled` or `Disabled` (ARM's publicNetworkAccess; Enabled when absent). */
  readonly publicNetworkAccess: string;
  /** `Allow` or `Deny` (networkAcls.defaultAction). */
  readonly networkDefaultAction: string;
  /** networkAcls.bypass includes AzureServices. */
  readonly trustedServicesBypass: boolean;
  readonly privateEndpointCount: number;
  readonly diagnosticsKnown: boolean;
  /** A diagnostic setting sends AuditEvent (or the audit/allLogs group) to a workspace, storage or event hub. */
  readonly diagnosticLogsEnabled: boolean;
  /** The last scan listed the vault's items (ok or throttled): item rules have data. */
  readonly dataReadable: boolean;
}

interface ItemFacts {
  readonly id: string;
  readonly name: string;
  readonly vaultName: string;
  readonly subscriptionId: string;
  readonly vaultRbac: boolean;
  readonly vaultTags: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly hasExpiry: boolean;
  /** Whole days from now to expiry (negative when expired); 0 when there is none (see hasExpiry). */
  readonly daysToExpiry: number;
  readonly hasNotBefore: boolean;
  readonly contentType: string;
  /** Whole days since the current version was last updated (created when never updated); -1 when unknown. */
  readonly daysSinceUpdate: number;
}

export type SecretFacts = ItemFacts;

export interface KeyFacts extends ItemFacts {
  /** JWK kty: RSA, RSA-HSM, EC, EC-HSM, oct-HSM; '' when unknown. */
  readonly keyType: string;
  /** Bits (RSA modulus or EC curve size); 0 when unknown. */
  readonly keySize: number;
  readonly rotationPolicyKnown: boolean;
  /** The rotation policy has a lifetime action of type Rotate. */
  readonly hasRotateAction: boolean;
  /** The policy's `attributes.expiryTime` (ISO 8601 duration, e.g. P2Y); '' when none. */
  readonly rotationExpiryTime: string;
  /** The current version's JWK `key_ops` were read (the scan reads them with the key's type and size). */
  readonly keyOpsKnown: boolean;
  /** Operations the key allows (JWK `key_ops`: encrypt, decrypt, sign, verify, wrapKey, unwrapKey, import); [] when unknown. */
  readonly keyOps: readonly string[];
}

export interface CertificateFacts extends ItemFacts {
  readonly issuer: string;
  readonly subject: string;
  readonly detailsKnown: boolean;
  readonly selfSigned: boolean;
  /** Whole days from not-before to expiry; 0 when either is unknown. */
  readonly validityDays: number;
  /** The certificate's public key: `RSA` or `EC`; '' when unknown. */
  readonly keyType: string;
  /** Bits (RSA modulus or EC curve size); 0 when unknown. */
  readonly keySize: number;
}

export interface AppCredentialFacts {
  readonly id: string;
  readonly appDisplayName: string;
  readonly appId: string;
  readonly appObjectId: string;
  /** `password` (client secret) or `certificate`. */
  readonly kind: string;
  readonly hasEndDate: boolean;
  readonly daysToExpiry: number;
  /** Whole days from start to end; 0 when either is unknown. */
  readonly lifetimeDays: number;
}

export interface AppFacts {
  readonly objectId: string;
  readonly appId: string;
  readonly displayName: string;
  readonly signInAudience: string;
  readonly passwordCount: number;
  readonly certificateCount: number;
  readonly ownersKnown: boolean;
  readonly ownerCount: number;
}

export interface FactsByScope {
  readonly subscription: SubscriptionFacts;
  readonly vault: VaultFacts;
  readonly secret: SecretFacts;
  readonly key: KeyFacts;
  readonly certificate: CertificateFacts;
  readonly appCredential: AppCredentialFacts;
  readonly app: AppFacts;
}

/** A resource a result is about: its scope, a stable key and what the violations list shows and filters by. */
export interface ResourceRef {
  readonly scope: Scope;
  /** Stable: the inventory item id, the vault partition, the subscription id or the app object id. */
  readonly key: string;
  readonly name: string;
  readonly vaultName: string;
  readonly subscriptionId: string;
}

export type Resource<S extends Scope = Scope> = {
  [K in S]: { readonly ref: ResourceRef; readonly facts: FactsByScope[K] };
}[S];

/**
 * Partitions whose data could not be read this time: rules over their items give one "not evaluated" result for
 * the partition instead of passing over nothing.
 */
export interface UnreadablePartition {
  readonly ref: ResourceRef;
  /** Scopes whose resources live in it (vault items, or app credentials and apps). */
  readonly scopes: readonly Scope[];
}

/** Everything one evaluation reads. */
export interface ComplianceInventory {
  readonly subscriptions: readonly Resource<'subscription'>[];
  readonly vaults: readonly Resource<'vault'>[];
  readonly secrets: readonly Resource<'secret'>[];
  readonly keys: readonly Resource<'key'>[];
  readonly certificates: readonly Resource<'certificate'>[];
  readonly appCredentials: readonly Resource<'appCredential'>[];
  readonly apps: readonly Resource<'app'>[];
  readonly unreadable: readonly UnreadablePartition[];
}

export function resourcesOf<S extends Scope>(inventory: ComplianceInventory, scope: S): readonly Resource<S>[] {
  const table: { [K in Scope]: readonly Resource<K>[] } = {
    subscription: inventory.subscriptions,
    vault: inventory.vaults,
    secret: inventory.secrets,
    key: inventory.keys,
    certificate: inventory.certificates,
    appCredential: inventory.appCredentials,
    app: inventory.apps,
  };
  return table[scope] as readonly Resource<S>[];
}

/** Field types of each scope's facts, for the CEL environment and the docs: one declaration per field. */
export const celSchemas: { readonly [K in CustomScope]: Readonly<Record<keyof FactsByScope[K], string>> } = {
  vault: {
    name: 'string',
    subscriptionId: 'string',
    resourceGroup: 'string',
    location: 'string',
    tags: 'map<string, string>',
    sku: 'string',
    softDeleteEnabled: 'bool',
    softDeleteRetentionDays: 'int',
    purgeProtectionEnabled: 'bool',
    rbacAuthorization: 'bool',
    publicNetworkAccess: 'string',
    networkDefaultAction: 'string',
    trustedServicesBypass: 'bool',
    privateEndpointCount: 'int',
    diagnosticsKnown: 'bool',
    diagnosticLogsEnabled: 'bool',
    dataReadable: 'bool',
  },
  secret: itemSchema(),
  key: {
    ...itemSchema(),
    keyType: 'string',
    keySize: 'int',
    rotationPolicyKnown: 'bool',
    hasRotateAction: 'bool',
    rotationExpiryTime: 'string',
    keyOpsKnown: 'bool',
    keyOps: 'list<string>',
  },
  certificate: {
    ...itemSchema(),
    issuer: 'string',
    subject: 'string',
    detailsKnown: 'bool',
    selfSigned: 'bool',
    validityDays: 'int',
    keyType: 'string',
    keySize: 'int',
  },
  appCredential: {
    id: 'string',
    appDisplayName: 'string',
    appId: 'string',
    appObjectId: 'string',
    kind: 'string',
    hasEndDate: 'bool',
    daysToExpiry: 'int',
    lifetimeDays: 'int',
  },
  app: {
    objectId: 'string',
    appId: 'string',
    displayName: 'string',
    signInAudience: 'string',
    passwordCount: 'int',
    certificateCount: 'int',
    ownersKnown: 'bool',
    ownerCount: 'int',
  },
};

function itemSchema(): Readonly<Record<keyof ItemFacts, string>> {
  return {
    id: 'string',
    name: 'string',
    vaultName: 'string',
    subscriptionId: 'string',
    vaultRbac: 'bool',
    vaultTags: 'map<string, string>',
    tags: 'map<string, string>',
    enabled: 'bool',
    hasExpiry: 'bool',
    daysToExpiry: 'int',
    hasNotBefore: 'bool',
    contentType: 'string',
    daysSinceUpdate: 'int',
  };
}
