import type { Tenant, TenantDocument } from './tenant-schema';
import { tenantSchema } from './tenant-schema';
import { materializeTenant, type VaultState } from './tenant-state';

/**
 * Keyward's own vault, as infra/modules/key-vault.bicep deploys it: RBAC mode, holding the audit signing key, on
 * which the app's identity has Key Vault Crypto User and nothing else (it can read the public key and ask for a
 * signature; it cannot create, import or export keys). In Azure the deployment creates the key; here the
 * simulator creates it when it starts, so every run has one. The vault sits in the managed resource group of a
 * subscription the tenant document does not list, so scans never see it (as when Keyward's identity has no
 * Reader on that subscription) and the demo tenant's counts stay as they are.
 */
export const KEYWARD_VAULT = {
  name: 'kv-keyward-local',
  resourceGroup: 'mrg-keyward-local',
  subscriptionId: '00000000-0000-4000-8000-00000000cafe',
  auditSigningKey: 'audit-signing',
  /** The vault sync provider credentials are written to (KEYWARD_VAULT_URI): Secrets Officer there and nowhere else. */
  syncCredentialsVault: 'kv-keyward-sync',
} as const;

/**
 * Keyward's vaults, to serve beside the tenant's: the signing vault above, and a second one for sync provider
 * credentials (AWS access keys, GCP service-account keys) where the identity is Key Vault Secrets Officer, so the
 * right to write secrets never comes with a role on the vault that holds the audit key.
 */
export function keywardVaultStates(tenant: Tenant, now: Date): { signing: VaultState; syncCredentials: VaultState } {
  const document = tenantSchema.parse({
    tenantId: tenant.tenantId,
    displayName: 'Keyward managed resource group',
    caller: tenant.caller,
    subscriptions: [
      {
        subscriptionId: KEYWARD_VAULT.subscriptionId,
        displayName: 'Keyward',
        vaults: [
          {
            name: KEYWARD_VAULT.name,
            resourceGroup: KEYWARD_VAULT.resourceGroup,
            access: { model: 'rbac', callerRoles: ['Key Vault Crypto User'] },
            enablePurgeProtection: true,
            keys: [{ name: KEYWARD_VAULT.auditSigningKey, kty: 'RSA', expiresInDays: null }],
          },
          {
            name: KEYWARD_VAULT.syncCredentialsVault,
            resourceGroup: KEYWARD_VAULT.resourceGroup,
            access: { model: 'rbac', callerRoles: ['Key Vault Secrets Officer'] },
            enablePurgeProtection: true,
          },
        ],
      },
    ],
  });
  const [signing, syncCredentials] = materializeTenant(document, now).vaults;
  if (!signing || !syncCredentials) throw new Error("Keyward's vaults did not materialize");
  return { signing, syncCredentials };
}

/** A tenant with no estate to scan: the simulator then serves Keyward's own vault alone (audit signing). */
export const NO_ESTATE_TENANT: TenantDocument = {
  tenantId: '00000000-0000-4000-8000-00000000cafe',
  displayName: 'Keyward local (no estate)',
  caller: {
    objectId: '6f1d2c3b-0000-4000-8000-00000000ca11',
    appId: '6f1d2c3b-0000-4000-8000-00000000a991',
    displayName: 'keyward-identity',
  },
  subscriptions: [],
};
