// The Service Bus namespace and the usage-events queue (the default usage transport). Local (SAS)
// auth is disabled: the proxy sends and the ingest app receives with their managed identities.

param location string
param namespaceName string
param queueName string
@allowed([
  'Standard'
  'Premium'
])
param skuName string
param maxDeliveryCount int
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  // Basic has no duplicate detection, which the queue below needs.
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    // A message that keeps failing ends in the dead-letter queue after this many deliveries,
    // never silently dropped (and never retried forever).
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    // The proxy sets each message's MessageId to the usage event id: a resend after a timeout
    // within the window is dropped by the broker; the ingest step is idempotent beyond it.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    // A message held by an ingest instance that died comes back within 30 s; the consumer renews
    // the lock every 10 s while it processes a message.
    lockDuration: 'PT30S'
    defaultMessageTimeToLive: 'P14D'
    maxSizeInMegabytes: 5120
    enableBatchedOperations: true
  }
}

output namespaceName string = namespace.name
// serviceBusEndpoint is https://<namespace>.servicebus.<cloud suffix>:443/
output hostName string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueName string = queue.name
