// The Function App (Linux, Node 22): Flex Consumption by default, Elastic Premium when the customer needs the
// always-warm instances or VNet integration of a dedicated plan. Its app settings are the catalogue in
// shared/config/app-settings.ts (infra/generated/app-settings.json) with the values only a deployment knows.
//
// Order (issue 18 item 1): site → App Service Authentication (authsettingsV2) → app settings → package. The app
// trusts principal headers only when the platform attests EasyAuth (WEBSITE_AUTH_ENABLED), so no code may run
// before authentication is on: on Elastic Premium the package arrives with the app settings
// (WEBSITE_RUN_FROM_PACKAGE), on Flex with OneDeploy after them, and both wait for the auth settings.
param location string
param name string
param planName string
@allowed(['FlexConsumption', 'ElasticPremium'])
param hostingPlan string
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param deploymentContainerName string
param serviceBusNamespace string
param appInsightsConnectionString string
@description('Versionless identifier of the Key Vault key that signs audit manifests and checkpoints.')
param auditSigningKeyUri string
@description('The audit evidence storage account (exports and checkpoints).')
param auditStorageAccountName string
param notifySecretsKeySecretUri string
@description('The sync credentials vault (provider credentials of the sync configs).')
param syncCredentialsVaultUri string
param authClientSecretUri string
param communicationEndpoint string
param emailSenderAddress string
param tier string
param warningThresholdDays int
param notificationEmail string
param admins string
param scanSchedule string
@description('Versioned, immutable URL of the app package (zip); a SAS may be included.')
param packageUri string
@description('Integration subnet; empty for no VNet integration.')
param subnetId string
@description('Client id of the Entra app registration EasyAuth signs users in with.')
param authClientId string

var isFlex = hostingPlan == 'FlexConsumption'

// Every setting the code reads, with its catalogue default.
var catalogueSettings = loadJsonContent('../generated/app-settings.json')
// Connection strings the emulators use locally; in Azure their identity-based forms (X__accountName,
// X__fullyQualifiedNamespace) below replace them. Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME (the runtime
// is functionAppConfig.runtime there).
var localOnlySettings = isFlex
  ? ['AzureWebJobsStorage', 'ServiceBusConnection', 'FUNCTIONS_WORKER_RUNTIME']
  : ['AzureWebJobsStorage', 'ServiceBusConnection']
var deployedCatalogueSettings = toObject(
  filter(items(catalogueSettings), s => !contains(localOnlySettings, s.key)),
  s => s.key,
  s => s.value
)
// Catalogue settings whose value only this deployment knows. Each name must be in the catalogue (tested).
var computedSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
  AZURE_CLIENT_ID: identityClientId
  KEYWARD_TIER: tier
  AUDIT_SIGNING_KEY_ID: auditSigningKeyUri
  AUDIT_STORAGE_ACCOUNT_NAME: auditStorageAccountName
  NOTIFY_SECRETS_KEY: '@Microsoft.KeyVault(SecretUri=${notifySecretsKeySecretUri})'
  KEYWARD_VAULT_URI: syncCredentialsVaultUri
  AZURE_TENANT_ID: subscription().tenantId
  ACS_ENDPOINT: communicationEndpoint
  ACS_SENDER_ADDRESS: emailSenderAddress
  SCAN_SCHEDULE: scanSchedule
  WARNING_THRESHOLD_DAYS: string(warningThresholdDays)
  NOTIFY_DEFAULT_EMAIL: notificationEmail
  KEYWARD_ADMINS: admins
  // The app's own traces and metrics (shared/telemetry); the host's logs use it too. No instrumentation key setting:
  // both send with the managed identity, as the resource refuses local auth.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
}
// Read by the Functions host and App Service, never by Keyward's code.
var platformSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  // Entra ID auth for the host's telemetry and the distro's live metrics; the app's exporter gets the same identity
  // as a credential (shared/telemetry/start-telemetry.ts).
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
}
// Elastic Premium runs from the package URL (no Azure Files share needed); Flex uses OneDeploy below.
var premiumSettings = isFlex ? {} : { FUNCTIONS_EXTENSION_VERSION: '~4', WEBSITE_RUN_FROM_PACKAGE: packageUri }
var authSecretSettings = empty(authClientSecretUri)
  ? {}
  : { MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(SecretUri=${authClientSecretUri})' }

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex ? { name: 'FC1', tier: 'FlexConsumption' } : { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : 20
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    vnetRouteAllEnabled: !empty(subnetId)
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${blobEndpoint}${deploymentContainerName}'
              authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
            }
          }
          runtime: { name: 'node', version: '22' }
          scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
        }
      : null
    siteConfig: {
      linuxFxVersion: isFlex ? null : 'Node|22'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// No basic (user name and password) publishing: deployments go through ARM with Entra identities (the package URL,
// OneDeploy on Flex), so FTP and Kudu credentials would only be a second, unaudited way in.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

// Authentication before anything that can start the app's code.
module easyAuth 'easyauth.bicep' = {
  name: 'easyauth'
  params: {
    siteName: site.name
    clientId: authClientId
    useClientSecret: !empty(authClientSecretUri)
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(deployedCatalogueSettings, computedSettings, platformSettings, premiumSettings, authSecretSettings)
  dependsOn: [easyAuth]
}

// Flex Consumption has no WEBSITE_RUN_FROM_PACKAGE: OneDeploy fetches the versioned package into the deployment
// container the app runs from.
resource packageDeployment 'Microsoft.Web/sites/extensions@2024-04-01' = if (isFlex) {
  parent: site
  name: 'onedeploy'
  #disable-next-line BCP187 // The type definitions lack the 'onedeploy' extension's properties; packageUri is its documented input.
  properties: {
    packageUri: packageUri
    remoteBuild: false
  }
  dependsOn: [appSettings]
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
