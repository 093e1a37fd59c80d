// Key Vault holding every secret the apps read; the apps resolve them through Key Vault
// references (@Microsoft.KeyVault(SecretUri=...)) with their managed identities, each allowed to
// read only the secrets it needs (see access.bicep). RBAC authorization, no access policies.

param location string
param name string
param enablePurgeProtection bool
@secure()
param adminSecret string
@secure()
param encryptionKey string
@secure()
param postgresAdminPassword string
param postgresHost string
param postgresDatabase string
param postgresAdminLogin string
param redisName string
param secretNames object
param tags object

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Losing Encryption__Key loses every stored provider credential: keep deleted secrets recoverable.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

resource adminSecretValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.adminSecret
  properties: {
    value: adminSecret
  }
}

resource encryptionKeyValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.encryptionKey
  properties: {
    value: encryptionKey
  }
}

resource postgresPasswordValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.postgresAdminPassword
  properties: {
    value: postgresAdminPassword
  }
}

resource postgresConnectionString 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.postgresConnectionString
  properties: {
    value: 'Host=${postgresHost};Port=5432;Database=${postgresDatabase};Username=${postgresAdminLogin};Password=${postgresAdminPassword};Ssl Mode=Require'
  }
}

// StackExchange.Redis configuration string for Azure Cache for Redis: TLS port, abortConnect=False
// so that a restarting cache does not fail the app's startup (the gateway retries).
resource redisConnectionString 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.redisConnectionString
  properties: {
    value: '${redis.properties.hostName}:${redis.properties.sslPort},password=${redis.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

output name string = vault.name
