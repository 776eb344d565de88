import { attributesOf, currentVersion } from './keyvault-bundles';
import type { Tenant } from './tenant-schema';
import { BUILT_IN_ROLES } from './keyvault-access';
import { vaultNetwork } from './keyvault-network';
import { guid, type TenantState, type VaultState } from './tenant-state';
import { privateEndpointConnections } from './arm-security';

/**
 * ARM resource shapes for Microsoft.KeyVault (specification/keyvault/resource-manager/Microsoft.KeyVault/stable/
 * 2026-02-01/openapi.json, the api-version @azure/arm-keyvault 5.0 sends; these properties are unchanged since
 * 2019-09-01).
 */
export function vaultResource(tenant: Tenant, vault: VaultState) {
  const s = vault.spec;
  const access = s.access;
  const network = vaultNetwork(s);
  return {
    id: vault.armId,
    name: s.name,
    type: 'Microsoft.KeyVault/vaults',
    location: s.location,
    tags: s.tags,
    properties: {
      tenantId: tenant.tenantId,
      sku: { family: 'A', name: s.sku },
      accessPolicies:
        access.model === 'accessPolicy'
          ? [
              {
                tenantId: tenant.tenantId,
                objectId: tenant.caller.objectId,
                permissions: { secrets: access.secrets, certificates: access.certificates, keys: access.keys },
              },
            ]
          : [],
      vaultUri: `${vault.uri}/`,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: s.enableSoftDelete,
      softDeleteRetentionInDays: s.softDeleteRetentionInDays,
      enableRbacAuthorization: access.model === 'rbac',
      ...(s.enablePurgeProtection ? { enablePurgeProtection: true } : {}),
      publicNetworkAccess: network.publicNetworkAccess,
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: network.defaultAction,
        ipRules: network.ipRules.map((value) => ({ value })),
        virtualNetworkRules: [],
      },
      ...privateEndpointConnections(vault),
      provisioningState: 'Succeeded',
    },
  };
}

/** `vaults/{name}/secrets` on the management plane: metadata only, not subject to the vault firewall. */
export function armSecrets(vault: VaultState) {
  return [...vault.items.secrets.values()].flatMap((item) => {
    const v = currentVersion(item);
    if (!v) return [];
    const { recoveryLevel: _r, recoverableDays: _d, ...attributes } = attributesOf(vault, v);
    return [
      {
        id: `${vault.armId}/secrets/${item.name}`,
        name: item.name,
        type: 'Microsoft.KeyVault/vaults/secrets',
        location: vault.spec.location,
        tags: v.tags,
        properties: {
          attributes,
          ...(v.contentType ? { contentType: v.contentType } : {}),
          secretUri: `${vault.uri}/secrets/${item.name}`,
          secretUriWithVersion: `${vault.uri}/secrets/${item.name}/${v.version}`,
        },
      },
    ];
  });
}

/** The caller's role assignments at the vault scope; honours `$filter=assignedTo('<oid>')` / `principalId eq`. */
export function roleAssignments(state: TenantState, vault: VaultState, url: URL) {
  const access = vault.spec.access;
  if (access.model !== 'rbac') return [];
  const filter = url.searchParams.get('$filter') ?? '';
  const principal = /(?:assignedTo\('|principalId eq ')([0-9a-f-]{36})'/i.exec(filter)?.[1];
  const callerId = state.tenant.caller.objectId;
  if (principal && principal.toLowerCase() !== callerId.toLowerCase()) return [];
  return access.callerRoles.flatMap((roleName) => {
    const role = BUILT_IN_ROLES[roleName];
    if (!role) return [];
    const name = guid(`${vault.armId}/${roleName}`);
    return [
      {
        id: `${vault.armId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: {
          roleDefinitionId: `/subscriptions/${vault.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
          principalId: callerId,
          principalType: 'ServicePrincipal',
          scope: vault.armId,
        },
      },
    ];
  });
}
