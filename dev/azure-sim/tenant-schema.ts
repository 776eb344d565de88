import { z } from 'zod';
import { KEY_OPS } from './keyvault-key-material';

/**
 * A tenant document describes an estate to simulate. Every date is relative to the simulator's clock
 * ("expires in N days"), so the same document always shows the same mix of severities. Negative numbers
 * are in the past. `null` for `expiresInDays` means "no expiry".
 */
const days = z.number().finite();
const tags = z.record(z.string(), z.string()).default({});

const itemBase = {
  name: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/),
  /** Days from the clock's now to `exp` of the current version; null = no expiry. */
  expiresInDays: days.nullable().default(null),
  /** Days from now to `created` of the current version (negative = in the past). */
  createdInDays: days.default(-90),
  /** Optional `nbf` relative to now. */
  notBeforeInDays: days.nullable().default(null),
  enabled: z.boolean().default(true),
  /** Number of versions; older versions are created 90 days apart before the current one. */
  versions: z.number().int().min(1).max(50).default(1),
  tags,
};

export const secretSchema = z.object({ ...itemBase, contentType: z.string().optional() });
export const certificateSchema = z.object({
  ...itemBase,
  /** A certificate always has an expiry (its notAfter): Key Vault's default validity is 12 months. */
  expiresInDays: days.default(365),
  subject: z.string().default('CN=example.contoso.com'),
  issuer: z.string().default('CN=Contoso Issuing CA'),
  /** The certified key (its policy's key_props); Key Vault's default RSA 2048 when absent. */
  key: z
    .object({
      kty: z.enum(['RSA', 'EC']).default('RSA'),
      size: z.number().int().min(512).max(8192).default(2048),
      curve: z.enum(['P-256', 'P-384', 'P-521', 'P-256K']).default('P-256'),
    })
    .optional(),
});
export const keySchema = z.object({
  ...itemBase,
  kty: z.enum(['RSA', 'EC', 'RSA-HSM', 'EC-HSM', 'oct-HSM']).default('RSA'),
  /** RSA modulus bits (RSA keys) — compliance key-strength rules read it from the public JWK. */
  size: z.number().int().min(512).max(8192).default(2048),
  /** EC curve (EC keys). */
  curve: z.enum(['P-256', 'P-384', 'P-521', 'P-256K']).default('P-256'),
  /** Operations the key allows (JWK key_ops); Key Vault's defaults for its type when absent (all it can do). */
  keyOps: z.array(z.enum(KEY_OPS)).min(1).optional(),
  /** The key's rotation policy; null = none set (Key Vault then answers its default Notify-only policy). */
  rotationPolicy: z
    .object({ rotate: z.boolean().default(true), expiryTime: z.string().nullable().default('P2Y') })
    .nullable()
    .default(null),
});

/** Data-plane access the simulated caller (the app's managed identity) has on a vault. */
export const vaultAccessSchema = z.discriminatedUnion('model', [
  z.object({
    model: z.literal('rbac'),
    /** Built-in role names assigned to the caller at vault scope, e.g. "Key Vault Reader". */
    callerRoles: z.array(z.string()).default([]),
  }),
  z.object({
    model: z.literal('accessPolicy'),
    /** Permissions in the caller's access policy entry; an empty list means no entry for that kind. */
    secrets: z.array(z.string()).default([]),
    certificates: z.array(z.string()).default([]),
    keys: z.array(z.string()).default([]),
  }),
]);

export const vaultSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][0-9a-zA-Z-]{2,23}$/),
  resourceGroup: z.string(),
  location: z.string().default('westeurope'),
  access: vaultAccessSchema,
  /** networkAcls defaultAction Deny with no IP rules: the data plane answers ForbiddenByFirewall. */
  firewalled: z.boolean().default(false),
  /** The vault's network rules in full (wins over `firewalled`); the simulator's callers come from 127.0.0.1. */
  network: z
    .object({
      publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
      defaultAction: z.enum(['Allow', 'Deny']).default('Allow'),
      ipRules: z.array(z.string()).default([]),
    })
    .optional(),
  enableSoftDelete: z.boolean().default(true),
  enablePurgeProtection: z.boolean().default(false),
  /** Whether a diagnostic setting sends AuditEvent logs to a workspace. */
  diagnostics: z.boolean().default(false),
  /** Approved private endpoint connections on the vault (ARM privateEndpointConnections). */
  privateEndpoints: z.number().int().min(0).max(10).default(0),
  sku: z.enum(['standard', 'premium']).default('standard'),
  softDeleteRetentionInDays: z.number().int().min(7).max(90).default(90),
  tags,
  secrets: z.array(secretSchema).default([]),
  certificates: z.array(certificateSchema).default([]),
  keys: z.array(keySchema).default([]),
});

/** App settings may contain `{{vaultUri:<vault name>}}`, replaced with that vault's simulated URI. */
export const webAppSchema = z.object({
  name: z.string(),
  resourceGroup: z.string(),
  location: z.string().default('westeurope'),
  appSettings: z.record(z.string(), z.string()).default({}),
});

export const subscriptionSchema = z.object({
  subscriptionId: z.uuid(),
  displayName: z.string(),
  /** The subscription's home tenant when it is not the caller's: a customer's, delegated through Azure Lighthouse. */
  tenantId: z.uuid().optional(),
  /** `state` as ARM reports it (subscriptions 2022-12-01). */
  state: z.enum(['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted']).default('Enabled'),
  /** Whether the caller holds a role that reads the subscription's resources; false answers 403 AuthorizationFailed. */
  callerCanRead: z.boolean().default(true),
  /**
   * The caller's built-in role at subscription scope. Reader (every `read` action) reads every resource's settings;
   * Key Vault Reader (the vaults' read actions and a few more) lists and reads vaults but not their diagnostic
   * settings (Microsoft.Insights/diagnosticSettings/read) or the Defender plans (Microsoft.Security/pricings/read),
   * which ARM then refuses with 403 AuthorizationFailed.
   */
  callerRole: z.enum(['Reader', 'Key Vault Reader']).default('Reader'),
  vaults: z.array(vaultSchema).default([]),
  /** Microsoft.Security/pricings/KeyVaults pricingTier Standard (Defender for Key Vault on). */
  defenderForKeyVault: z.boolean().default(false),
  webApps: z.array(webAppSchema).default([]),
});

const credentialBase = {
  displayName: z.string().nullable().default(null),
  startInDays: days.default(-365),
  /** Graph credentials always have an end date; a far-future one models "never expires" in practice. */
  endInDays: days,
};

/**
 * An app-management policy as the simulator models it: Graph's `passwordLifetime` / `asymmetricKeyLifetime`
 * restrictions, in days (null = no cap). Rendered in Graph's shape by graph-credentials.ts.
 */
export const appPolicySchema = z.object({
  isEnabled: z.boolean().default(true),
  passwordLifetimeDays: z.number().int().positive().nullable().default(null),
  keyLifetimeDays: z.number().int().positive().nullable().default(null),
});

export const applicationSchema = z.object({
  displayName: z.string(),
  /** Optional fixed ids; generated deterministically from the display name when omitted. */
  appId: z.uuid().optional(),
  id: z.uuid().optional(),
  owners: z.array(z.object({ displayName: z.string(), userPrincipalName: z.string() })).default([]),
  passwordCredentials: z.array(z.object(credentialBase)).default([]),
  keyCredentials: z.array(z.object({ ...credentialBase, type: z.string().default('AsymmetricX509Cert') })).default([]),
  /** The Keyward identity is an owner (what `Application.ReadWrite.OwnedBy` needs to write credentials). */
  ownedByCaller: z.boolean().default(false),
  /** An app-management policy assigned to this app: it replaces the tenant default (Graph does not merge them). */
  policy: appPolicySchema.optional(),
  /**
   * An enterprise single-sign-on app: its service principal carries the SAML token-signing certificate (a Sign and
   * a Verify key credential) and the password that protects the signing key, expiring together.
   */
  samlSigningEndInDays: days.optional(),
});

export const tenantSchema = z.object({
  tenantId: z.uuid(),
  displayName: z.string(),
  /** The identity the simulator issues managed-identity tokens for (the app's identity). */
  caller: z.object({
    objectId: z.uuid(),
    appId: z.uuid(),
    displayName: z.string(),
    /**
     * Graph application permissions granted (app roles): without Application.Read.All (or a ReadWrite/Directory
     * permission) reads answer 403; the credential routes need Application.ReadWrite.All or .OwnedBy.
     */
    graphPermissions: z.array(z.string()).default(['Application.ReadWrite.All', 'Policy.Read.All']),
  }),
  subscriptions: z.array(subscriptionSchema),
  applications: z.array(applicationSchema).default([]),
  /** The tenant's defaultAppManagementPolicy (disabled when absent, as in a new tenant). */
  appManagementPolicy: appPolicySchema.default({ isEnabled: false, passwordLifetimeDays: null, keyLifetimeDays: null }),
});

/** The document as written (defaults optional). */
export type TenantDocument = z.input<typeof tenantSchema>;
/** The document after defaults are applied. */
export type Tenant = z.output<typeof tenantSchema>;
export type VaultSpec = Tenant['subscriptions'][number]['vaults'][number];
export type VaultAccess = VaultSpec['access'];
export type ApplicationSpec = Tenant['applications'][number];

export function parseTenant(doc: unknown): Tenant {
  return tenantSchema.parse(doc);
}
