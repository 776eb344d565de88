// Keyward's own vault (audit HMAC key, channel secrets), RBAC mode: access is granted by role, not by access
// policy, and purge protection keeps the audit key recoverable.
param location string
param name string
@secure()
@description('Key that signs audit exports and chain checkpoints.')
param auditHmacKey string
@secure()
@description('AES-256 key (base64 of 32 bytes) that encrypts channel secrets in Table Storage.')
param notifySecretsKey string
@secure()
@description('Client secret of the EasyAuth app registration; empty when the registration uses no secret.')
param authClientSecret string

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

resource auditKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'audit-hmac-key'
  properties: { value: auditHmacKey, contentType: 'text/plain' }
}

resource notifyKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'notify-secrets-key'
  properties: { value: notifySecretsKey, contentType: 'text/plain' }
}

resource authSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(authClientSecret)) {
  parent: vault
  name: 'easyauth-client-secret'
  properties: { value: authClientSecret, contentType: 'text/plain' }
}

output name string = vault.name
// Version-less URIs: the app always gets the current version after a rotation.
output auditHmacKeySecretUri string = '${vault.properties.vaultUri}secrets/${auditKey.name}'
output notifySecretsKeySecretUri string = '${vault.properties.vaultUri}secrets/${notifyKey.name}'
output authClientSecretUri string = '${vault.properties.vaultUri}secrets/easyauth-client-secret'
