// Keyward: one Function App and what it needs, in one resource group (the managed resource group when installed
// from the Azure Marketplace). Compiled to infra/marketplace's mainTemplate.json by `npm run package:marketplace`;
// deployed directly with `az deployment group create` (infra/README.md).

@description('Region of every regional resource.')
param location string = resourceGroup().location

@description('FlexConsumption (default, scales to zero) or ElasticPremium (always-warm instances).')
@allowed(['FlexConsumption', 'ElasticPremium'])
param hostingPlan string = 'FlexConsumption'

@description('Route the app\'s outbound traffic through a new VNet (VNet integration).')
param enablePrivateNetworking bool = false

@description('License tier; the Marketplace plan sets it.')
@allowed(['trial', 'professional', 'enterprise'])
param tier string = 'trial'

@description('Days before expiry at which an item becomes a warning.')
@minValue(1)
@maxValue(365)
param warningThresholdDays int = 30

@description('Default recipients of notifications (comma-separated).')
param notificationEmail string

@description('Bootstrap admins: comma-separated Entra object ids or emails that always hold the admin role.')
param admins string

@description('NCRONTAB (6 fields, UTC) of the scheduled scan.')
param scanSchedule string = '0 0 6 * * *'

@description('Client id of the Entra app registration EasyAuth signs users in with.')
param authClientId string

@secure()
@description('Client secret of that registration; leave empty to sign in without one.')
param authClientSecret string = ''

@secure()
@description('AES-256 key (base64 of 32 bytes) that encrypts channel secrets at rest. Keep the same value on every redeployment.')
param notifySecretsKey string

@description('Days an audit export or checkpoint stays immutable after it is written.')
@minValue(1)
param auditRetentionDays int = 365

@description('''The audit evidence account's immutability policy: lock = create it and lock it (first deployment; the
Marketplace always does this); keepLocked = it is already locked (redeployments: Azure refuses to unlock it);
unlocked = leave it unlocked (test deployments that must be removable before the retention passes).''')
@allowed(['lock', 'keepLocked', 'unlocked'])
param auditEvidenceLock string = 'lock'

@description('Where Communication Services stores its data at rest.')
param communicationDataLocation string = 'United States'

@description('Versioned, immutable URL of the app package (zip) to run.')
param packageUri string

@description('True when deployed cross-tenant by the Marketplace (role assignments then carry delegatedManagedIdentityResourceId).')
param delegatedIdentity bool = false

var suffix = uniqueString(resourceGroup().id)
var names = {
  identity: 'id-keyward-${suffix}'
  workspace: 'log-keyward-${suffix}'
  appInsights: 'appi-keyward-${suffix}'
  storage: 'stkw${suffix}'
  auditStorage: 'stkwaud${take(suffix, 13)}'
  serviceBus: 'sb-keyward-${suffix}'
  communication: 'acs-keyward-${suffix}'
  emailService: 'email-keyward-${suffix}'
  keyVault: 'kv-kw-${take(suffix, 13)}'
  syncCredentialsVault: 'kv-kwsync-${take(suffix, 13)}'
  vnet: 'vnet-keyward-${suffix}'
  plan: 'plan-keyward-${suffix}'
  functionApp: 'func-keyward-${suffix}'
}
var deploymentContainerName = 'app-package'

module identity 'infra/modules/identity.bicep' = {
  name: 'identity'
  params: { location: location, name: names.identity }
}

module monitoring 'infra/modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, workspaceName: names.workspace, appInsightsName: names.appInsights }
}

module storage 'infra/modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    deploymentContainerName: deploymentContainerName
  }
}

// Audit evidence in an account of its own; an account-level policy is created Unlocked and locked by a second pass.
module auditStorage 'infra/modules/audit-storage.bicep' = {
  name: 'audit-storage'
  params: {
    location: location
    name: names.auditStorage
    retentionDays: auditRetentionDays
    policyState: auditEvidenceLock == 'keepLocked' ? 'Locked' : 'Unlocked'
  }
}

module auditStorageLock 'infra/modules/audit-storage.bicep' = if (auditEvidenceLock != 'unlocked') {
  name: 'audit-storage-lock'
  params: {
    location: location
    name: names.auditStorage
    retentionDays: auditRetentionDays
    policyState: 'Locked'
  }
  dependsOn: [auditStorage]
}

module serviceBus 'infra/modules/service-bus.bicep' = {
  name: 'service-bus'
  params: { location: location, name: names.serviceBus }
}

module communication 'infra/modules/communication.bicep' = {
  name: 'communication'
  params: { name: names.communication, emailServiceName: names.emailService, dataLocation: communicationDataLocation }
}

module keyVault 'infra/modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    name: names.keyVault
    notifySecretsKey: notifySecretsKey
    authClientSecret: authClientSecret
  }
}

// Provider credentials of the sync configs (KEYWARD_VAULT_URI), apart from the main vault's keys.
module syncCredentialsVault 'infra/modules/sync-credentials-vault.bicep' = {
  name: 'sync-credentials-vault'
  params: {
    location: location
    name: names.syncCredentialsVault
    principalId: identity.outputs.principalId
    identityId: identity.outputs.id
    delegatedIdentity: delegatedIdentity
    workspaceId: monitoring.outputs.workspaceId
  }
}

module diagnostics 'infra/modules/diagnostics.bicep' = {
  name: 'diagnostics'
  params: {
    workspaceId: monitoring.outputs.workspaceId
    keyVaultName: keyVault.outputs.name
    storageAccountName: storage.outputs.name
    auditStorageAccountName: auditStorage.outputs.name
  }
}

module network 'infra/modules/network.bicep' = if (enablePrivateNetworking) {
  name: 'network'
  params: { location: location, name: names.vnet, hostingPlan: hostingPlan }
}

module roles 'infra/modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    principalId: identity.outputs.principalId
    identityId: identity.outputs.id
    delegatedIdentity: delegatedIdentity
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    // What the app's Key Vault references read: the channel-secrets key and, when used, the EasyAuth secret.
    readSecretNames: empty(authClientSecret)
      ? [keyVault.outputs.notifySecretsKeySecretName]
      : [keyVault.outputs.notifySecretsKeySecretName, 'easyauth-client-secret']
    auditSigningKeyName: keyVault.outputs.auditSigningKeyName
    auditStorageAccountName: auditStorage.outputs.name
    auditContainerName: auditStorage.outputs.containerName
    communicationName: communication.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

// After the roles: Flex pulls its package and the host connects with the identity as soon as the app exists.
module functionApp 'infra/modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    name: names.functionApp
    planName: names.plan
    hostingPlan: hostingPlan
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    appInsightsConnectionString: monitoring.outputs.connectionString
    auditSigningKeyUri: keyVault.outputs.auditSigningKeyUri
    auditStorageAccountName: auditStorage.outputs.name
    notifySecretsKeySecretUri: keyVault.outputs.notifySecretsKeySecretUri
    syncCredentialsVaultUri: syncCredentialsVault.outputs.vaultUri
    authClientSecretUri: empty(authClientSecret) ? '' : keyVault.outputs.authClientSecretUri
    communicationEndpoint: communication.outputs.endpoint
    emailSenderAddress: communication.outputs.senderAddress
    tier: tier
    warningThresholdDays: warningThresholdDays
    notificationEmail: notificationEmail
    admins: admins
    scanSchedule: scanSchedule
    packageUri: packageUri
    subnetId: enablePrivateNetworking ? network!.outputs.appSubnetId : ''
    authClientId: authClientId
  }
  // The lock first: the app writes its first checkpoint within the hour of starting.
  dependsOn: [roles, auditStorageLock]
}

output functionAppName string = functionApp.outputs.name
output dashboardUrl string = 'https://${functionApp.outputs.defaultHostName}/'
output docsUrl string = 'https://${functionApp.outputs.defaultHostName}/api/docs'
@description('Grant this principal Reader + Key Vault Reader on the subscriptions to scan (infra/grant-access.sh).')
output managedIdentityPrincipalId string = identity.outputs.principalId
output managedIdentityClientId string = identity.outputs.clientId
