// The sync credentials vault (docs/sync.md, "Credentials"): one secret per sync config holding the AWS secret access
// key or GCP service-account key that config's destination needs. A vault of its own, not Keyward's main vault: the
// app must write here (Key Vault Secrets Officer on this vault only), and that role must not reach the audit signing
// key or the channel-secrets key. RBAC mode, soft delete and purge protection as the main vault; every read and
// write goes to the Log Analytics workspace.
param location string
param name string
param principalId string
param identityId string
@description('True for Marketplace (cross-tenant) deployments.')
param delegatedIdentity bool
param workspaceId string

var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Secrets Officer (set, get, list, delete secrets; no keys, no certificates, no role changes) on this vault only:
// the app creates each config's secret, reads it for a sync and soft-deletes it with the config.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, keyVaultSecretsOfficer)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    delegatedManagedIdentityResourceId: delegatedIdentity ? identityId : null
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'keyward-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'audit', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
