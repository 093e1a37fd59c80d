// The gateway in Azure: three function apps (proxy, admin, ingest) running the published
// isolated-worker packages, and everything they use. Deploy into a resource group:
//   az deployment group create -g <rg> --template-file infra/main.bicep --parameters infra/main.bicepparam
// The walkthrough is in infra/README.md.

targetScope = 'resourceGroup'

@description('Region of every resource (Flex Consumption must be available there: az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short prefix of resource names (lowercase letters and digits).')
@minLength(2)
@maxLength(6)
param namePrefix string = 'gw'

@description('Queue that carries usage events from the proxy to the ingest app.')
@allowed([
  'ServiceBus'
  'StorageQueue'
])
param usageTransport string = 'ServiceBus'

@description('Admin API secret: the X-API-KEY header of every admin request (Admin__Secret).')
@secure()
@minLength(16)
param adminSecret string

@description('Base64 of 32 random bytes (openssl rand -base64 32): the AES-256-GCM key of provider credentials at rest (Encryption__Key). Keep it: a new key cannot decrypt stored credentials.')
@secure()
@minLength(44)
@maxLength(44)
param encryptionKey string

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'gatewayadmin'

@description('PostgreSQL administrator password (stored in Key Vault, inside the apps\' connection string).')
@secure()
@minLength(12)
param postgresAdminPassword string

@description('PostgreSQL flexible server compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@minValue(32)
param postgresStorageSizeGB int = 32

param postgresVersion string = '16'

@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSkuName string = 'Standard'

@description('Cache size: C0-C6 for Basic/Standard, P1-P5 for Premium.')
@minValue(0)
@maxValue(6)
param redisCapacity int = 1

@allowed([
  'Standard'
  'Premium'
])
param serviceBusSkuName string = 'Standard'

@description('Deliveries of a usage message before it is dead-lettered.')
@minValue(1)
@maxValue(100)
param usageMaxDeliveryCount int = 10

@description('Proxy instances kept running for the HTTP functions: no cold start on the request path. At least 1.')
@minValue(1)
param proxyAlwaysReadyInstances int = 1

@minValue(40)
@maxValue(1000)
param proxyMaximumInstanceCount int = 100

@description('Proxy instance memory: 2048 or 4096 (more CPU and network per instance).')
@allowed([
  2048
  4096
])
param proxyInstanceMemoryMB int = 2048

@description('Concurrent requests per proxy instance: requests mostly wait on the provider, so this is high.')
@minValue(1)
@maxValue(1000)
param proxyHttpPerInstanceConcurrency int = 100

@minValue(40)
@maxValue(1000)
param appsMaximumInstanceCount int = 40

@description('Create an Azure AI Language resource for PII detection.')
param enablePiiDetection bool = false

@allowed([
  'F0'
  'S'
])
param languageSkuName string = 'S'

@description('Key Vault purge protection: deleted secrets (the encryption key above all) stay recoverable for 90 days. It cannot be turned off once on.')
param keyVaultPurgeProtection bool = true

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var names = {
  proxy: '${namePrefix}-proxy-${suffix}'
  admin: '${namePrefix}-admin-${suffix}'
  ingest: '${namePrefix}-ingest-${suffix}'
  proxyStorage: toLower('${namePrefix}stp${suffix}')
  adminStorage: toLower('${namePrefix}sta${suffix}')
  ingestStorage: toLower('${namePrefix}sti${suffix}')
  usageStorage: toLower('${namePrefix}stu${suffix}')
  keyVault: '${namePrefix}kv${suffix}'
  serviceBus: '${namePrefix}-sb-${suffix}'
  postgres: '${namePrefix}-pg-${suffix}'
  redis: '${namePrefix}-redis-${suffix}'
  language: '${namePrefix}-lang-${suffix}'
  logAnalytics: '${namePrefix}-logs-${suffix}'
  appInsights: '${namePrefix}-ai-${suffix}'
}
var deploymentContainerName = 'app-package'
var usageQueueName = 'usage-events'
// Created by the apps on first use too (UsageQueueClients.ClaimContainerName); created here so that
// it exists before the first oversized event.
var usageClaimsContainerName = 'usage-claims'
var databaseName = 'gateway'
var secretNames = {
  adminSecret: 'admin-secret'
  encryptionKey: 'encryption-key'
  postgresAdminPassword: 'postgres-admin-password'
  postgresConnectionString: 'postgres-connection-string'
  redisConnectionString: 'redis-connection-string'
}

// The ingest app's Storage queue function, disabled with the documented
// AzureWebJobs.<FUNCTION_NAME>.Disabled setting when the transport is Service Bus (consumed by a
// ServiceBusProcessor in the app instead: infra/README.md). Linux app setting names allow only
// letters, digits, "." and "_": a function name with "-" cannot be disabled this way on Linux
// (Azure Functions docs, "How to disable functions").
var storageQueueFunction = 'usage_storage_queue'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module proxyStorage 'modules/storage.bicep' = {
  name: 'storage-proxy'
  params: {
    location: location
    name: names.proxyStorage
    containerNames: [
      deploymentContainerName
    ]
    tags: tags
  }
}

module adminStorage 'modules/storage.bicep' = {
  name: 'storage-admin'
  params: {
    location: location
    name: names.adminStorage
    containerNames: [
      deploymentContainerName
    ]
    tags: tags
  }
}

module ingestStorage 'modules/storage.bicep' = {
  name: 'storage-ingest'
  params: {
    location: location
    name: names.ingestStorage
    containerNames: [
      deploymentContainerName
    ]
    tags: tags
  }
}

// The usage account, shared by the proxy and the ingest app and by nothing else: the Storage usage
// queue (with that transport) and, with both transports, the claim-check container of usage events
// too large for a queue message.
module usageStorage 'modules/storage.bicep' = {
  name: 'storage-usage'
  params: {
    location: location
    name: names.usageStorage
    containerNames: [
      usageClaimsContainerName
    ]
    queueNames: usageTransport == 'StorageQueue' ? [usageQueueName] : []
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = if (usageTransport == 'ServiceBus') {
  name: 'servicebus'
  params: {
    location: location
    namespaceName: names.serviceBus
    queueName: usageQueueName
    skuName: serviceBusSkuName
    maxDeliveryCount: usageMaxDeliveryCount
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    serverName: names.postgres
    databaseName: databaseName
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    version: postgresVersion
    tags: tags
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    location: location
    name: names.redis
    skuName: redisSkuName
    capacity: redisCapacity
    tags: tags
  }
}

module language 'modules/language.bicep' = if (enablePiiDetection) {
  name: 'language'
  params: {
    location: location
    name: names.language
    skuName: languageSkuName
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  dependsOn: [
    redis
  ]
  params: {
    location: location
    name: names.keyVault
    enablePurgeProtection: keyVaultPurgeProtection
    adminSecret: adminSecret
    encryptionKey: encryptionKey
    postgresAdminPassword: postgresAdminPassword
    postgresHost: postgres.outputs.fullyQualifiedDomainName
    postgresDatabase: postgres.outputs.databaseName
    postgresAdminLogin: postgresAdminLogin
    redisName: names.redis
    secretNames: secretNames
    tags: tags
  }
}

module proxyApp 'modules/functionapp.bicep' = {
  name: 'app-proxy'
  params: {
    location: location
    planName: '${names.proxy}-plan'
    appName: names.proxy
    storageBlobEndpoint: proxyStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: proxyMaximumInstanceCount
    instanceMemoryMB: proxyInstanceMemoryMB
    httpAlwaysReadyInstances: proxyAlwaysReadyInstances
    httpPerInstanceConcurrency: proxyHttpPerInstanceConcurrency
    tags: tags
  }
}

module adminApp 'modules/functionapp.bicep' = {
  name: 'app-admin'
  params: {
    location: location
    planName: '${names.admin}-plan'
    appName: names.admin
    storageBlobEndpoint: adminStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: appsMaximumInstanceCount
    instanceMemoryMB: 2048
    httpAlwaysReadyInstances: 0
    httpPerInstanceConcurrency: 16
    tags: tags
  }
}

module ingestApp 'modules/functionapp.bicep' = {
  name: 'app-ingest'
  params: {
    location: location
    planName: '${names.ingest}-plan'
    appName: names.ingest
    storageBlobEndpoint: ingestStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: appsMaximumInstanceCount
    instanceMemoryMB: 2048
    // Service Bus is consumed by a ServiceBusProcessor inside the app, not by a trigger the platform
    // scales on: one instance must always run it (infra/README.md, "Ingest on Service Bus").
    httpAlwaysReadyInstances: usageTransport == 'ServiceBus' ? 1 : 0
    httpPerInstanceConcurrency: 16
    tags: tags
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  // The scopes are named from `names` (known before the deployment starts), so the resources
  // they name are listed here.
  dependsOn: [
    keyVault
    usageStorage
    serviceBus
    language
  ]
  params: {
    usageTransport: usageTransport
    proxy: {
      name: names.proxy
      storageName: names.proxyStorage
    }
    proxyPrincipalId: proxyApp.outputs.principalId
    admin: {
      name: names.admin
      storageName: names.adminStorage
    }
    adminPrincipalId: adminApp.outputs.principalId
    ingest: {
      name: names.ingest
      storageName: names.ingestStorage
    }
    ingestPrincipalId: ingestApp.outputs.principalId
    keyVaultName: names.keyVault
    secretNames: secretNames
    usageStorageName: names.usageStorage
    usageQueueName: usageQueueName
    serviceBusNamespaceName: names.serviceBus
    languageAccountName: enablePiiDetection ? names.language : ''
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: names.appInsights
}

// App settings. Secrets are Key Vault references without a version: the app reads the latest
// version, so a rotated secret is picked up without a redeploy. Settings with a code default are
// omitted; every setting an app requires at startup is here (tests/Gateway.Deployment.Tests/Infra).
func keyVaultReference(vaultName string, secretName string) string => '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

var secretRefs = {
  adminSecret: keyVaultReference(names.keyVault, secretNames.adminSecret)
  encryptionKey: keyVaultReference(names.keyVault, secretNames.encryptionKey)
  postgres: keyVaultReference(names.keyVault, secretNames.postgresConnectionString)
  redis: keyVaultReference(names.keyVault, secretNames.redisConnectionString)
}
var serviceBusHost = usageTransport == 'ServiceBus' ? serviceBus!.outputs.hostName : ''

// The usage transport, the same for the proxy (sends) and the ingest app (receives), through the
// apps' identities (the Functions identity-based connection convention: <connection>__queueServiceUri,
// <connection>__fullyQualifiedNamespace), read by both the apps and the ingest queue trigger.
var usageSettings = union(
  {
    UsageTransport: usageTransport
    UsageQueueName: usageQueueName
    UsageQueueStorage__blobServiceUri: 'https://${names.usageStorage}.blob.${environment().suffixes.storage}'
  },
  usageTransport == 'ServiceBus'
    ? {
        UsageServiceBus__fullyQualifiedNamespace: serviceBusHost
      }
    : {
        UsageQueueStorage__queueServiceUri: 'https://${names.usageStorage}.queue.${environment().suffixes.storage}'
      }
)

func hostSettings(storageAccountName string, appInsightsConnectionString string) object => {
  // Host storage through the app's identity (Storage Blob Data Owner on its own account).
  AzureWebJobsStorage__accountName: storageAccountName
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
}

// Runtime knobs that have no runtimeconfig.json property (environment only), measured with
// tests/Gateway.Benchmarks: tier-up starts at once instead of waiting for JIT activity to stop
// (steady state in seconds, not minutes, under load), and a 4 MiB gen0 budget instead of one sized
// from the L3 cache (peak RSS). The benchmark runs both proxies with the same file.
var proxyRuntimeSettings = loadJsonContent('runtime/proxy.json')

var proxySettings = union(
  hostSettings(names.proxyStorage, appInsights.properties.ConnectionString),
  proxyRuntimeSettings,
  {
    ConnectionStrings__Redis: secretRefs.redis
    Encryption__Key: secretRefs.encryptionKey
  },
  usageSettings
)

var adminSettings = union(hostSettings(names.adminStorage, appInsights.properties.ConnectionString), {
  ConnectionStrings__Postgres: secretRefs.postgres
  ConnectionStrings__Redis: secretRefs.redis
  Admin__Secret: secretRefs.adminSecret
  Encryption__Key: secretRefs.encryptionKey
  // The first start of the admin app creates the schema; later deployments upgrade it.
  Database__ApplyMigrationsAtStartup: 'true'
})

var ingestSettings = union(
  hostSettings(names.ingestStorage, appInsights.properties.ConnectionString),
  {
    ConnectionStrings__Postgres: secretRefs.postgres
    ConnectionStrings__Redis: secretRefs.redis
    // Resolved by the Functions host in the timer trigger's schedule (%ConfigRefreshSchedule%).
    ConfigRefreshSchedule: '0 */1 * * * *'
    'AzureWebJobs.${storageQueueFunction}.Disabled': usageTransport == 'ServiceBus' ? 'true' : 'false'
  },
  usageSettings
)

module proxySettingsDeployment 'modules/appsettings.bicep' = {
  name: 'appsettings-proxy'
  dependsOn: [
    proxyApp
    access
    monitoring
  ]
  params: {
    appName: names.proxy
    settings: proxySettings
  }
}

module adminSettingsDeployment 'modules/appsettings.bicep' = {
  name: 'appsettings-admin'
  dependsOn: [
    adminApp
    access
    monitoring
  ]
  params: {
    appName: names.admin
    settings: adminSettings
  }
}

module ingestSettingsDeployment 'modules/appsettings.bicep' = {
  name: 'appsettings-ingest'
  dependsOn: [
    ingestApp
    access
    monitoring
  ]
  params: {
    appName: names.ingest
    settings: ingestSettings
  }
}

@description('Proxy base URL: SDKs point at <proxyBaseUrl>/providers/openai/v1 (or .../anthropic, .../azure/openai).')
output proxyBaseUrl string = 'https://${proxyApp.outputs.defaultHostName}/api'

@description('OpenAI SDK base URL through the gateway.')
output openAiBaseUrl string = 'https://${proxyApp.outputs.defaultHostName}/api/providers/openai/v1'

@description('Admin API base URL (header X-API-KEY: the adminSecret parameter).')
output adminBaseUrl string = 'https://${adminApp.outputs.defaultHostName}/api'

output ingestHealthUrl string = 'https://${ingestApp.outputs.defaultHostName}/api/health'

output proxyAppName string = proxyApp.outputs.name
output adminAppName string = adminApp.outputs.name
output ingestAppName string = ingestApp.outputs.name
output keyVaultName string = keyVault.outputs.name
output postgresServerName string = postgres.outputs.serverName
output usageTransport string = usageTransport
output languageEndpoint string = enablePiiDetection ? language!.outputs.endpoint : ''
