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
param communicationName string
param appInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
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

// Officer, not User: the app writes channel secrets (SMTP password, webhook secrets) it is given by the API.
resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
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
