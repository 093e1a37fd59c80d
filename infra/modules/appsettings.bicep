// The complete app settings of one function app (the config/appsettings resource replaces them
// all). Deployed after access.bicep so that Key Vault references resolve at the first start.

param appName string
param settings object

resource app 'Microsoft.Web/sites@2024-11-01' existing = {
  name: appName
}

resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'appsettings'
  properties: settings
}
