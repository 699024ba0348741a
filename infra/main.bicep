// The DSR export bot in one resource group: a user-assigned managed identity (the bot's Bot Framework identity
// and, with the Graph permissions granted to it, its Graph identity: no client secret), an Azure Bot with the
// Teams channel, a Linux App Service (Node 20, two instances or more), a storage account for state (tables,
// queues) and one for exports (a container per request, and the audit container with a WORM policy), a
// lifecycle rule that deletes forgotten exports, Key Vault for the storage connection strings, Application
// Insights on a Log Analytics workspace, diagnostic logs, and the role assignments the identity needs.
// docs/deploy.md explains each resource and its cost at rest.

@description('Azure region for every resource but the bot (Azure Bot is global).')
param location string = resourceGroup().location

@description('Prefix for resource names: 3–11 lower-case letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('App Service plan SKU (P0v3 or larger keeps two warm instances; B1 is cheaper, without zone redundancy).')
param appServiceSku string = 'P0v3'

@description('Instances of the bot (at least two: the worker shares its queue between them).')
@minValue(2)
param instanceCount int = 2

@description('Azure Bot pricing tier: F0 (free, standard channels) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('The home tenant whose admins use the bot (AAD_APP_TENANT_ID).')
param homeTenantId string = tenant().tenantId

@description('Comma-separated Entra role template ids allowed to request and approve (empty: Global Administrator).')
param adminRoleTemplateIds string = ''

@description('The approvals channel conversation id (19:…@thread.tacv2), or empty to set it from Teams.')
param approvalsChannelId string = ''

@description('Days to keep diagnostic logs in the workspace.')
@minValue(30)
param logRetentionDays int = 30

@description('Days an export is kept after delivery (EXPORT_RETENTION_DAYS).')
@minValue(1)
param exportRetentionDays int = 30

@description('Backstop: the lifecycle rule deletes export blobs not modified for this many days, even undelivered or held ones. Longer than the longest legal clock (GDPR: three months with extensions) plus EXPORT_RETENTION_DAYS.')
@minValue(120)
param exportBackstopDays int = 180

@description('Months a finished request\'s record and audit trail are kept (RECORD_RETENTION_MONTHS; CCPA §7101: at least 24).')
@minValue(1)
@maxValue(120)
param recordRetentionMonths int = 24

@description('Start of every export container\'s name (EXPORT_CONTAINER_PREFIX): 1–20 lower-case letters and digits.')
@minLength(1)
@maxLength(20)
param exportContainerPrefix string = 'dsr'

@description('The audit container in the export account: trail exports, reports, daily seals (AUDIT_CONTAINER).')
@minLength(3)
@maxLength(56)
param auditContainerName string = 'audit'

@description('Days every file in the audit container stays immutable (WORM) after it is written: 730 = 24 months (CCPA §7101).')
@minValue(1)
@maxValue(146000)
param auditImmutabilityDays int = 730

@description('True once an operator has locked the audit container\'s immutability policy: the template then leaves the locked policy alone.')
param auditImmutabilityPolicyLocked bool = false

var suffix = uniqueString(resourceGroup().id)
// Storage account names: 3–24 lower-case letters and digits.
var stateAccountName = take('${namePrefix}st${suffix}', 24)
var exportAccountName = take('${namePrefix}ex${suffix}', 24)
var siteName = '${namePrefix}-bot-${suffix}'
// The site's default host name, known before the site exists: an app setting that read
// site.properties.defaultHostName would make the site depend on itself.
var webHostSuffix = environment().name == 'AzureUSGovernment' ? 'azurewebsites.us' : (environment().name == 'AzureChinaCloud' ? 'chinacloudsites.cn' : 'azurewebsites.net')
var botEndpoint = 'https://${siteName}.${webHostSuffix}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: false
  }
}

// Shared key access stays on: SAS bound to a stored access policy (revocable) needs the account key.
var storageDefaults = {
  supportsHttpsTrafficOnly: true
  minimumTlsVersion: 'TLS1_2'
  allowBlobPublicAccess: false
  allowSharedKeyAccess: true
  publicNetworkAccess: 'Enabled'
}

resource state 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: stateAccountName
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: storageDefaults
}

resource exports 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: exportAccountName
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: storageDefaults
}

resource exportBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: exports
  name: 'default'
  properties: {
    // A deleted export container can be restored for a week (personal data: deletion is deliberate).
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
    deleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

// The audit container: reports (reports/) and the daily seals (seals/); trail exports have their own below. The bot
// writes each file once and never overwrites it; the time-based retention (WORM) policy makes that hold
// against the account key too: for auditImmutabilityDays after its creation, no file can be changed or deleted.
resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: exportBlobs
  name: auditContainerName
  properties: { publicAccess: 'None' }
}

// Trail exports: copies of a request's audit trail made for a download (personal data). Not WORM: they go with
// the request's record (the bot deletes them) and, at the latest, a day after they were written (lifecycle rule).
resource trailsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: exportBlobs
  name: '${auditContainerName}-trails'
  properties: { publicAccess: 'None' }
}

// Left UNLOCKED on purpose. Unlocked, the policy already refuses every overwrite and delete through the data
// plane (account key, SAS), but someone with management rights on the account can still shorten or remove it.
// Locking it (az storage container immutability-policy lock, docs/deploy.md) is IRREVERSIBLE: the period can
// then only be extended, the container cannot be deleted while it holds files under retention, and neither can
// the account. That is an operator's decision, not a template's. Once locked, set auditImmutabilityPolicyLocked.
resource auditImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (!auditImmutabilityPolicyLocked) {
  parent: auditContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditImmutabilityDays
    allowProtectedAppendWrites: false
  }
}

// A backstop to the bot's own retention (which deletes an export EXPORT_RETENTION_DAYS after delivery and tells
// the thread first): block and append blobs in export containers untouched for exportBackstopDays are deleted,
// should the bot be stopped or a deletion fail. It knows nothing of delivery or holds, so it waits longer than
// any legal clock (GDPR: up to three months with extensions) plus the retention after delivery. Only containers named '<prefix>-…' match; the audit
// container does not (its files are WORM, and kept for the records' retention).
resource exportLifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: exports
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-forgotten-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob', 'appendBlob']
              prefixMatch: ['${exportContainerPrefix}-']
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: exportBackstopDays }
              }
            }
          }
        }
        {
          // A trail export is downloaded within 15 minutes of being made: a day later it has no purpose.
          name: 'delete-trail-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${auditContainerName}-trails/']
            }
            actions: {
              baseBlob: {
                delete: { daysAfterCreationGreaterThan: 1 }
              }
            }
          }
        }
      ]
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${namePrefix}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource stateConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'state-storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${state.name};AccountKey=${state.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource exportConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'export-storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${exports.name};AccountKey=${exports.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

// Key Vault Secrets User: the app reads its two connection strings through Key Vault references.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      '4633458b-17de-408a-b874-0445c86b69e6'
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku, capacity: instanceCount }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: siteName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // A heap limit of its own (1 GB, well inside the plan's memory): V8 otherwise sizes it from the host and lets
      // garbage pile up to several times what the bot holds before collecting (issue 17's memory profile).
      appCommandLine: 'node --max-old-space-size=1024 dist/src/index.js'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      healthCheckPath: '/healthz'
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_TENANT_ID', value: tenant().tenantId }
        { name: 'AAD_APP_TENANT_ID', value: homeTenantId }
        // The same identity calls Graph (managed identity: no secret).
        { name: 'AAD_APP_CLIENT_ID', value: identity.properties.clientId }
        { name: 'ADMIN_ROLE_TEMPLATE_IDS', value: adminRoleTemplateIds }
        { name: 'APPROVALS_CHANNEL_ID', value: approvalsChannelId }
        {
          name: 'AZURE_STORAGE_CONNECTION_STRING'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${stateConnection.name})'
        }
        {
          name: 'EXPORT_STORAGE_CONNECTION_STRING'
          value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${exportConnection.name})'
        }
        { name: 'EXPORT_STORAGE_ACCOUNT_ID', value: exports.id }
        { name: 'EXPORT_CONTAINER_PREFIX', value: exportContainerPrefix }
        { name: 'EXPORT_RETENTION_DAYS', value: string(exportRetentionDays) }
        { name: 'RECORD_RETENTION_MONTHS', value: string(recordRetentionMonths) }
        { name: 'AUDIT_CONTAINER', value: auditContainer.name }
        // One-time download links point here (not site.properties.defaultHostName: see botEndpoint).
        { name: 'BOT_ENDPOINT', value: botEndpoint }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
      ]
    }
  }
  dependsOn: [secretsUser]
}

resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'to-workspace'
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceAppLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

resource exportBlobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: exportBlobs
  name: 'to-workspace'
  properties: {
    workspaceId: workspace.id
    logs: [
      { category: 'StorageRead', enabled: true }
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

resource vaultLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'to-workspace'
  properties: {
    workspaceId: workspace.id
    logs: [{ categoryGroup: 'audit', enabled: true }]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'DSR Export'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

@description('The bot\'s Microsoft App ID (the managed identity\'s client id): BOT_ID for the app package.')
output BOT_ID string = identity.properties.clientId
@description('The bot\'s host name, for validDomains.')
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = site.id
@description('The managed identity\'s object id: grant it User.Read.All and User.Export.All (docs/deploy.md).')
output IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output EXPORT_STORAGE_ACCOUNT_ID string = exports.id
output STATE_STORAGE_ACCOUNT_NAME string = state.name
