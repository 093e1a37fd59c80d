// Least-privilege role assignments of the three apps' system-assigned identities, each scoped to
// the narrowest resource that works: a Key Vault secret, the Service Bus queue, the app's own
// storage account, the usage storage account (usage data only).

@allowed([
  'ServiceBus'
  'StorageQueue'
])
param usageTransport string
@description('The proxy app: { name, storageName }.')
param proxy object
param proxyPrincipalId string
@description('The admin app: { name, storageName }.')
param admin object
param adminPrincipalId string
@description('The ingest app: { name, storageName }.')
param ingest object
param ingestPrincipalId string
param keyVaultName string
param secretNames object
param usageStorageName string
param usageQueueName string
param serviceBusNamespaceName string
param languageAccountName string

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f708-6a1a-4f31-90a7-7d0e2e9e49d0'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  cognitiveServicesUser: 'a97b65f3-24c7-4388-baec-2e87ef14e446'
}

// Which secrets each app reads (its Key Vault references in main.bicep).
var proxySecrets = [
  secretNames.redisConnectionString
  secretNames.encryptionKey
]
var adminSecrets = [
  secretNames.postgresConnectionString
  secretNames.redisConnectionString
  secretNames.adminSecret
  secretNames.encryptionKey
]
var ingestSecrets = [
  secretNames.postgresConnectionString
  secretNames.redisConnectionString
]

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource proxySecretResources 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [for secret in proxySecrets: {
  parent: vault
  name: secret
}]

resource adminSecretResources 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [for secret in adminSecrets: {
  parent: vault
  name: secret
}]

resource ingestSecretResources 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [for secret in ingestSecrets: {
  parent: vault
  name: secret
}]

resource proxySecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (secret, i) in proxySecrets: {
  name: guid(proxySecretResources[i].id, proxy.name, roles.keyVaultSecretsUser)
  scope: proxySecretResources[i]
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}]

resource adminSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (secret, i) in adminSecrets: {
  name: guid(adminSecretResources[i].id, admin.name, roles.keyVaultSecretsUser)
  scope: adminSecretResources[i]
  properties: {
    principalId: adminPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}]

resource ingestSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (secret, i) in ingestSecrets: {
  name: guid(ingestSecretResources[i].id, ingest.name, roles.keyVaultSecretsUser)
  scope: ingestSecretResources[i]
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}]

// Host storage (AzureWebJobsStorage__accountName) and the Flex deployment container: blob leases,
// host state and the package, each app on its own account only.
resource proxyStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: proxy.storageName
}

resource adminStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: admin.storageName
}

resource ingestStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: ingest.storageName
}

resource proxyHostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(proxyStorage.id, proxy.name, roles.storageBlobDataOwner)
  scope: proxyStorage
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource adminHostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(adminStorage.id, admin.name, roles.storageBlobDataOwner)
  scope: adminStorage
  properties: {
    principalId: adminPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource ingestHostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ingestStorage.id, ingest.name, roles.storageBlobDataOwner)
  scope: ingestStorage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

// Service Bus transport: the proxy may only send to, and the ingest app only receive from, the queue.
resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = if (usageTransport == 'ServiceBus') {
  name: serviceBusNamespaceName
}

resource serviceBusQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = if (usageTransport == 'ServiceBus') {
  parent: serviceBus
  name: usageQueueName
}

resource proxyServiceBusSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (usageTransport == 'ServiceBus') {
  name: guid(serviceBusQueue.id, proxy.name, roles.serviceBusDataSender)
  scope: serviceBusQueue
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource ingestServiceBusReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (usageTransport == 'ServiceBus') {
  name: guid(serviceBusQueue.id, ingest.name, roles.serviceBusDataReceiver)
  scope: serviceBusQueue
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
  }
}

// The usage account holds only usage data, so its roles are granted on the account: both apps
// write and read claim-check blobs, and both create what they use if missing (the queue, the
// poison queue, the claims container: UsageQueueClients), which needs the Contributor roles
// (a Message Sender cannot create a queue).
resource usageStorage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: usageStorageName
}

resource proxyClaimsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(usageStorage.id, proxy.name, roles.storageBlobDataContributor)
  scope: usageStorage
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource ingestClaimsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(usageStorage.id, ingest.name, roles.storageBlobDataContributor)
  scope: usageStorage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource proxyQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (usageTransport == 'StorageQueue') {
  name: guid(usageStorage.id, proxy.name, roles.storageQueueDataContributor)
  scope: usageStorage
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource ingestQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (usageTransport == 'StorageQueue') {
  name: guid(usageStorage.id, ingest.name, roles.storageQueueDataContributor)
  scope: usageStorage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// PII detection (optional): the proxy calls the Language resource with its identity.
resource language 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = if (!empty(languageAccountName)) {
  name: languageAccountName
}

resource proxyLanguageUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(languageAccountName)) {
  name: guid(language.id, proxy.name, roles.cognitiveServicesUser)
  scope: language
  properties: {
    principalId: proxyPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesUser)
  }
}
