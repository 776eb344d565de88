// Optional private networking: a VNet whose integration subnet the Function App routes all outbound traffic
// through (Elastic Premium delegates to Microsoft.Web/serverFarms, Flex Consumption to Microsoft.App/environments).
param location string
param name string
@allowed(['FlexConsumption', 'ElasticPremium'])
param hostingPlan string

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: name
  location: location
  properties: {
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.40.0.0/24'
          delegations: [
            {
              name: 'functions'
              properties: {
                serviceName: hostingPlan == 'FlexConsumption' ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms'
              }
            }
          ]
          serviceEndpoints: [{ service: 'Microsoft.Storage' }, { service: 'Microsoft.ServiceBus' }, { service: 'Microsoft.KeyVault' }]
        }
      }
    ]
  }
}

output appSubnetId string = vnet.properties.subnets[0].id
