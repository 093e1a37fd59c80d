using 'main.bicep'

// Secrets come from the environment of the command that deploys (never commit them):
//   export GATEWAY_ADMIN_SECRET="$(openssl rand -base64 32)"
//   export GATEWAY_ENCRYPTION_KEY="$(openssl rand -base64 32)"
//   export GATEWAY_POSTGRES_PASSWORD="$(openssl rand -base64 24)"
// Keep the encryption key: redeploying with another one makes stored provider credentials unreadable.
param adminSecret = readEnvironmentVariable('GATEWAY_ADMIN_SECRET')
param encryptionKey = readEnvironmentVariable('GATEWAY_ENCRYPTION_KEY')
param postgresAdminPassword = readEnvironmentVariable('GATEWAY_POSTGRES_PASSWORD')

// ServiceBus (default) or StorageQueue.
param usageTransport = readEnvironmentVariable('GATEWAY_USAGE_TRANSPORT', 'ServiceBus')

param namePrefix = 'gw'

// Proxy: Flex Consumption with always-ready instances (no cold start on the request path).
param proxyAlwaysReadyInstances = 1
param proxyMaximumInstanceCount = 100
param proxyInstanceMemoryMB = 2048
param proxyHttpPerInstanceConcurrency = 100

// Admin and ingest: Flex Consumption, scale to zero.
param appsMaximumInstanceCount = 40

param postgresSkuName = 'Standard_B1ms'
param postgresSkuTier = 'Burstable'
param postgresStorageSizeGB = 32
param postgresVersion = '16'

param redisSkuName = 'Standard'
param redisCapacity = 1

param serviceBusSkuName = 'Standard'
param usageMaxDeliveryCount = 10

param enablePiiDetection = false
param languageSkuName = 'S'

param keyVaultPurgeProtection = true
param logRetentionInDays = 30
