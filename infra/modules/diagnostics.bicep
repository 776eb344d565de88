// Diagnostic settings to the Log Analytics workspace for the two resources that hold Keyward's secrets and evidence:
// who read a secret from the vault, and who wrote or deleted audit entries and export blobs. The app's own audit
// trail lives in that storage, so a change to it must leave a trace the app's identity cannot edit (the workspace).
param workspaceId string
param keyVaultName string
param storageAccountName string
@description('The audit evidence account (exports and checkpoints).')
param auditStorageAccountName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}
resource auditStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: auditStorageAccountName
}
resource auditBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: auditStorage
  name: 'default'
}
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

// AuditEvent: every secret read or change, by whom, from where.
resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'keyward-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'audit', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

// Reads too: the audit exports and the deployment package are blobs, and reading them is worth knowing about.
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: blobService
  name: 'keyward-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
  }
}

// Every read, write and attempted delete of audit evidence.
resource auditBlobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: auditBlobService
  name: 'keyward-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
  }
}

// Writes and deletes only: every API call reads tables, and those reads would be most of the volume.
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: tableService
  name: 'keyward-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'StorageWrite', enabled: true }, { category: 'StorageDelete', enabled: true }]
  }
}
