// Roles for the app's identity inside the (managed) resource group. In a Marketplace deployment the role
// assignments are written from the publisher's tenant, which needs delegatedManagedIdentityResourceId; that
// property is rejected in same-tenant deployments, hence the switch.
param principalId string
param identityId string
@description('True for Marketplace (cross-tenant) deployments.')
param delegatedIdentity bool
param storageAccountName string
param serviceBusNamespaceName string
param keyVaultName string
@description('Names of the vault secrets the app (and its Key Vault references) read.')
param readSecretNames array
@description('Name of the audit signing key in that vault.')
param auditSigningKeyName string
@description('The audit evidence account and its container.')
param auditStorageAccountName string
param auditContainerName string
param communicationName string
param appInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
var delegated = delegatedIdentity ? identityId : null

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}
resource readSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [
  for secretName in readSecretNames: {
    parent: vault
    name: secretName
  }
]
resource auditSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' existing = {
  parent: vault
  name: auditSigningKeyName
}
resource auditStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: auditStorageAccountName
}
resource auditBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: auditStorage
  name: 'default'
}
resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: auditBlobService
  name: auditContainerName
}
resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationName
}
resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Blob Data Owner (not Contributor): the Functions host manages leases and Flex pulls its package with it.
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageTableDataContributor]: {
    scope: storage
    name: guid(storage.id, principalId, role)
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      delegatedManagedIdentityResourceId: delegated
    }
  }
]

resource serviceBusRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.serviceBusDataSender, roles.serviceBusDataReceiver]: {
    scope: serviceBus
    name: guid(serviceBus.id, principalId, role)
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      delegatedManagedIdentityResourceId: delegated
    }
  }
]

// Secrets User on each secret it reads, not on the vault: the app writes no secret, and reads only these.
resource secretRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (secretName, i) in readSecretNames: {
    scope: readSecrets[i]
    name: guid(vault.id, secretName, principalId, roles.keyVaultSecretsUser)
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
      delegatedManagedIdentityResourceId: delegated
    }
  }
]

// Crypto User on the audit signing key only: read its public half and ask Key Vault to sign; the private key
// cannot be read, exported or replaced with this role.
resource signingKeyRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: auditSigningKey
  name: guid(vault.id, auditSigningKeyName, principalId, roles.keyVaultCryptoUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
    delegatedManagedIdentityResourceId: delegated
  }
}

// Blob Data Contributor on the audit container only: it writes blobs, but has none of the containers/* actions
// (immutabilityPolicies delete, write, lock, extend) nor the immutableStorage/runAsSuperUser data action that sets
// or deletes blob-level policies, so what it wrote stays under the account's (locked) retention.
resource auditEvidenceRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: auditContainer
  name: guid(auditContainer.id, principalId, roles.storageBlobDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    delegatedManagedIdentityResourceId: delegated
  }
}

// Sending email with an Entra identity needs a role on the Communication Services resource, and Azure has no
// built-in role narrower than this one (there is no "email sender" built-in role). A custom role holding only the
// sending actions would be narrower, but it is a role definition in the customer's subscription that outlives the
// managed resource group; until that trade is decided, the built-in role is scoped to this one resource, which holds
// nothing but Keyward's email sending (the email domain is a separate resource it does not reach).
resource communicationRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: communication
  name: guid(communication.id, principalId, roles.communicationAndEmailServiceOwner)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.communicationAndEmailServiceOwner
    )
    delegatedManagedIdentityResourceId: delegated
  }
}

// Application Insights has local auth disabled; the app publishes telemetry with its identity.
resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    delegatedManagedIdentityResourceId: delegated
  }
}
