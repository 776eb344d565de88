// Keyward's own vault (the audit signing key, the channel-secrets key, the EasyAuth client secret), RBAC mode:
// access is granted by role on each key or secret (role-assignments.bicep), not by access policy, and purge
// protection keeps the signing key recoverable.
param location string
param name string
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

// Signs audit manifests and checkpoints (docs/audit.md, algorithm version 2). Created inside Key Vault and not
// exportable: the private key never leaves it, the app may only ask it to sign (Key Vault Crypto User on this key),
// and anyone holding the public key can verify. ARM creates the first version only; redeploying never rotates it.
resource auditSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'audit-signing'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: ['sign', 'verify']
    attributes: { enabled: true, exportable: false }
  }
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
// Version-less: signing follows a rotation of the key (each signature names the version it used).
output auditSigningKeyUri string = auditSigningKey.properties.keyUri
output auditSigningKeyName string = auditSigningKey.name
output notifySecretsKeySecretName string = notifyKey.name
// Version-less URIs: the app always gets the current version after a rotation.
output notifySecretsKeySecretUri string = '${vault.properties.vaultUri}secrets/${notifyKey.name}'
output authClientSecretUri string = '${vault.properties.vaultUri}secrets/easyauth-client-secret'
