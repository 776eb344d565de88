// Service Bus namespace (Standard: duplicate detection needs it) with every queue in shared/config/queues.ts,
// read from infra/generated/queues.json so the code and the deployment share one list.
param location string
param name string

var queues = loadJsonContent('../generated/queues.json')

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for q in queues: {
    parent: namespace
    name: q.name
    properties: {
      maxDeliveryCount: q.maxDeliveryCount
      lockDuration: 'PT${q.lockDurationSeconds}S'
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT${q.duplicateDetectionWindowSeconds}S'
      deadLetteringOnMessageExpiration: true
    }
  }
]

output name string = namespace.name
// serviceBusEndpoint is 'https://<name>.servicebus.windows.net:443/'; the host wants the bare host name, and
// taking it from the resource keeps sovereign clouds right.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
