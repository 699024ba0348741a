// Foundation only: the state storage account with secure defaults. Issue 6 completes the infrastructure
// (Azure Bot, web host, managed identity, Key Vault, Application Insights, role assignments).

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Prefix for resource names (lower-case letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${namePrefix}state${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
  }
}

output stateStorageAccountName string = state.name
