// The audit evidence account: exports and hourly checkpoints (shared/audit), apart from the account the Functions
// host uses. The host needs Blob Data Owner there, and that role includes deleting an unlocked immutability policy
// (containers/* actions) and changing blob-level policies (immutableStorage/runAsSuperUser); here the app only gets
// Blob Data Contributor on the one container (role-assignments.bicep), which can add blobs and nothing else that
// matters: version-level WORM refuses to overwrite or delete them until the retention passes.
//
// Deployed twice by azuredeploy.bicep: Azure creates an account-level policy only Unlocked (or Disabled), and only an
// Unlocked policy can become Locked, so the first pass creates it Unlocked and the second locks it (see
// `auditEvidenceLock` there). Once Locked, nobody (not even a subscription owner) can shorten or remove it.
param location string
param name string
@description('Days each export and checkpoint stays immutable after it is written.')
@minValue(1)
param retentionDays int
@description('State of the account-level immutability policy in this pass.')
@allowed(['Unlocked', 'Locked'])
param policyState string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    // Version-level immutability for every container, with a default time-based retention policy.
    immutableStorageWithVersioning: {
      enabled: true
      immutabilityPolicy: {
        immutabilityPeriodSinceCreationInDays: retentionDays
        allowProtectedAppendWrites: false
        state: policyState
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
  }
}

resource auditExports 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'audit-exports'
  properties: { publicAccess: 'None' }
}

output name string = account.name
output containerName string = auditExports.name
