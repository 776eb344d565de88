// App Service Authentication (authsettingsV2) with the Entra ID provider. globalValidation comes from
// infra/authsettings.json, the same file the local EasyAuth emulation reads: Keyward lets unauthenticated
// requests through at the platform (AllowAnonymous) because API keys (`Authorization: Bearer kw_…`) must reach
// the app, which enforces identity on every route itself. See infra/README.md.
param siteName string
@description('Client id of the Entra app registration used for sign-in.')
param clientId string
@description('Whether the registration signs in with a client secret (kept in Key Vault, referenced by an app setting).')
param useClientSecret bool

var globalValidation = loadJsonContent('../authsettings.json')

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: globalValidation.requireAuthentication
      unauthenticatedClientAction: globalValidation.unauthenticatedClientAction
      excludedPaths: globalValidation.excludedPaths
    }
    httpSettings: {
      requireHttps: true
      routes: { apiPrefix: '/.auth' }
      forwardProxy: { convention: 'NoProxy' }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${subscription().tenantId}/v2.0'
          clientId: clientId
          // The NAME of the app setting holding the secret (a Key Vault reference), never the secret.
          clientSecretSettingName: useClientSecret ? 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET' : null
        }
        login: { disableWWWAuthenticate: false }
        validation: {
          allowedAudiences: ['api://${clientId}', clientId]
        }
      }
    }
    login: {
      // Off: Keyward reads only the X-MS-CLIENT-PRINCIPAL* headers, which App Service injects without a token store.
      // The store would keep users' Entra ID, access and refresh tokens (X-MS-TOKEN-AAD-*, /.auth/refresh), which
      // nothing in Keyward calls, so it would only be tokens to steal. infra/README.md cites the documentation.
      tokenStore: { enabled: false }
      preserveUrlFragmentsForLogins: false
    }
  }
}
