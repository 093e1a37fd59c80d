// One function app on its own Flex Consumption plan (Flex allows one app per plan), running the
// gateway's self-contained linux-x64 .NET isolated worker (runtime "dotnet-isolated"). App settings are written
// separately (appsettings.bicep), after the app's identity has been granted its roles, so that
// Key Vault references resolve on the first start.

param location string
param planName string
param appName string
param storageBlobEndpoint string
param deploymentContainerName string
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int
@description('Always-ready instances of the app\'s HTTP functions (the "http" scale group); 0 lets the app scale to zero.')
@minValue(0)
param httpAlwaysReadyInstances int
@description('HTTP requests one instance handles at once.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int
param tags object

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: httpAlwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: httpAlwaysReadyInstances
              }
            ]
          : []
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      // The isolated worker: on Flex Consumption this is FUNCTIONS_WORKER_RUNTIME=dotnet-isolated (that
      // app setting is not allowed there). The package is self-contained: the host starts the
      // executable its worker.config.json names.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = app.name
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
