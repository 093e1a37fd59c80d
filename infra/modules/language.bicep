// Optional Azure AI Language resource for PII detection. Keys are disabled: callers use Microsoft
// Entra ID (the proxy's managed identity holds Cognitive Services User on this account).

param location string
param name string
param skuName string
param tags object

resource language 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'TextAnalytics'
  sku: {
    name: skuName
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = language.name
output endpoint string = language.properties.endpoint
