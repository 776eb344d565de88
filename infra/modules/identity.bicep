// The user-assigned identity the Function App uses for every Azure API (AZURE_CLIENT_ID). User-assigned, not
// system-assigned, so customers can grant it Reader / Key Vault Reader on their subscriptions before or after
// the app is redeployed, and so Flex Consumption can pull its package with it.
param location string
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
