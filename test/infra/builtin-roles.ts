/**
 * Permissions of the Azure built-in roles Keyward assigns, copied as data from Microsoft's published definitions
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage and …/security; the same JSON
 * `az role definition list --name <id>` prints). The infra tests judge the compiled template's role assignments
 * against this table, not against anything the template itself says.
 */
export interface BuiltInRole {
  readonly name: string;
  readonly actions: readonly string[];
  readonly dataActions: readonly string[];
}

export const BUILT_IN_ROLES: Readonly<Record<string, BuiltInRole>> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': {
    name: 'Storage Blob Data Owner',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/*',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
  },
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': {
    name: 'Storage Blob Data Contributor',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/write',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    dataActions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
    ],
  },
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': {
    name: 'Storage Table Data Contributor',
    actions: [
      'Microsoft.Storage/storageAccounts/tableServices/tables/read',
      'Microsoft.Storage/storageAccounts/tableServices/tables/write',
      'Microsoft.Storage/storageAccounts/tableServices/tables/delete',
    ],
    dataActions: [
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read',
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/write',
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete',
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action',
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/update/action',
    ],
  },
  '4633458b-17de-408a-b874-0445c86b69e6': {
    name: 'Key Vault Secrets User',
    actions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  },
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': {
    name: 'Key Vault Secrets Officer',
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
      'Microsoft.KeyVault/checkNameAvailability/read',
      'Microsoft.KeyVault/deletedVaults/read',
      'Microsoft.KeyVault/locations/*/read',
      'Microsoft.KeyVault/vaults/*/read',
      'Microsoft.KeyVault/operations/read',
    ],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  '12338af0-0e69-4776-bea7-57ae8d297424': {
    name: 'Key Vault Crypto User',
    actions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/keys/read',
      'Microsoft.KeyVault/vaults/keys/update/action',
      'Microsoft.KeyVault/vaults/keys/backup/action',
      'Microsoft.KeyVault/vaults/keys/encrypt/action',
      'Microsoft.KeyVault/vaults/keys/decrypt/action',
      'Microsoft.KeyVault/vaults/keys/wrap/action',
      'Microsoft.KeyVault/vaults/keys/unwrap/action',
      'Microsoft.KeyVault/vaults/keys/sign/action',
      'Microsoft.KeyVault/vaults/keys/verify/action',
    ],
  },
};

/** Whether a role's permission pattern (with `*` wildcards, case-insensitive as Azure compares) grants `operation`. */
export function grants(pattern: string, operation: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i');
  return regex.test(operation);
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
}
