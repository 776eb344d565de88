// Service Bus namespace (Standard: duplicate detection and topics need it) with every queue in
// shared/config/queues.ts and every topic and subscription in shared/config/topics.ts, read from
// infra/generated/queues.json and topics.json so the code and the deployment share one list.
param location string
param name string

var queues = loadJsonContent('../generated/queues.json')
var topics = loadJsonContent('../generated/topics.json')
// Resource loops do not nest: one entry per (topic, subscription), with the index of its topic for `parent`.
var subscriptions = flatten(map(
  range(0, length(topics)),
  i => map(topics[i].subscriptions, s => union(s, { topicIndex: i }))
))

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

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = [
  for t in topics: {
    parent: namespace
    name: t.name
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT${t.duplicateDetectionWindowSeconds}S'
    }
  }
]

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [
  for s in subscriptions: {
    parent: topic[s.topicIndex]
    name: s.name
    properties: {
      maxDeliveryCount: s.maxDeliveryCount
      lockDuration: 'PT${s.lockDurationSeconds}S'
      deadLetteringOnMessageExpiration: true
    }
  }
]

output name string = namespace.name
// serviceBusEndpoint is 'https://<name>.servicebus.windows.net:443/'; the host wants the bare host name, and
// taking it from the resource keeps sovereign clouds right.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
