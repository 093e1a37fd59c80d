// Azure Cache for Redis: config cache, limit and spend counters, response cache. TLS only (port
// 6380); the non-TLS port stays closed.

param location string
param name string
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string
param capacity int
param tags object

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuName == 'Premium' ? 'P' : 'C'
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

output name string = redis.name
