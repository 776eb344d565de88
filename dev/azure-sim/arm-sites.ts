import type { TenantState } from './tenant-state';

/**
 * Microsoft.Web sites of a subscription (specification/web/resource-manager/Microsoft.Web/AppService/
 * stable/2024-11-01/WebApps.json: WebApps_List, WebApps_ListApplicationSettings), with `{{vaultUri:<name>}}` in app settings replaced by the vault's URI.
 */
export function armSites(state: TenantState, subscriptionId: string) {
  const sub = state.tenant.subscriptions.find((s) => s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
  const uriOf = new Map(state.vaults.map((v) => [v.spec.name.toLowerCase(), v.uri]));
  return (sub?.webApps ?? []).map((spec) => ({
    spec,
    resource: {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${spec.resourceGroup}/providers/Microsoft.Web/sites/${spec.name}`,
      name: spec.name,
      type: 'Microsoft.Web/sites',
      kind: 'app',
      location: spec.location,
      properties: { state: 'Running', defaultHostName: `${spec.name}.azurewebsites.net`, enabled: true },
    },
    settings: Object.fromEntries(
      Object.entries(spec.appSettings).map(([k, v]) => [
        k,
        v.replace(/\{\{vaultUri:([^}]+)\}\}/g, (_m, name: string) => `${uriOf.get(name.toLowerCase()) ?? ''}/`),
      ]),
    ),
  }));
}
