import { BUILT_IN_ROLES } from './keyvault-access';
import { armSecurityRoutes, authorizationFailed, callerMay } from './arm-security';
import { armSites } from './arm-sites';
import { armSecrets, roleAssignments, vaultResource } from './arm-vaults';
import { apiError, json, page, type Route, type SimCall, type SimResponse } from './sim-http';
import type { TenantState, VaultState } from './tenant-state';

const SUB = '/subscriptions/([0-9a-fA-F-]{36})';
const VAULT = `${SUB}/resourceGroups/([^/]+)/providers/Microsoft\\.KeyVault/vaults/([^/]+)`;

/**
 * Azure Resource Manager routes. Specs (Azure/azure-rest-api-specs) and api-versions followed — the versions the
 * SDK clients send:
 * - subscriptions: specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json
 * - vaults, vaults/secrets: specification/keyvault/resource-manager/Microsoft.KeyVault/stable/2026-02-01/openapi.json
 * - role assignments/definitions: specification/authorization/resource-manager/Microsoft.Authorization/stable/
 *   2022-04-01/authorization-RoleAssignmentsCalls.json (and -RoleDefinitionsCalls.json)
 * - sites, config/appsettings/list: specification/web/resource-manager/Microsoft.Web/AppService/stable/2024-11-01/WebApps.json
 * - diagnostic settings: specification/monitor/resource-manager/Microsoft.Insights/preview/2021-05-01-preview/
 *   diagnosticsSettings_API.json
 */
export function armRoutes(state: TenantState, pageSize: () => number): Route[] {
  const { tenant } = state;
  const vaultsOf = (sub: string): VaultState[] => state.vaults.filter((v) => sameId(v.subscriptionId, sub));
  const findVault = (p: string[]): VaultState | undefined =>
    state.vaults.find(
      (v) => sameId(v.subscriptionId, p[0]) && sameId(v.spec.resourceGroup, p[1]) && sameId(v.spec.name, p[2]),
    );
  const paged = (all: readonly unknown[], call: SimCall): SimResponse => {
    const top = Number(call.url.searchParams.get('$top') ?? '') || pageSize();
    const { items, nextLink } = page(all, call.url, Math.min(top, pageSize()));
    return json(200, { value: items, ...(nextLink ? { nextLink } : {}) });
  };
  const vaultOr404 = (p: string[], then: (v: VaultState) => SimResponse): SimResponse => {
    const vault = findVault(p);
    if (!vault)
      return apiError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.KeyVault/vaults/${p[2] ?? ''}' under resource group '${p[1] ?? ''}' was not found.`,
      );
    return then(vault);
  };
  const subOr404 = (p: string[], then: () => SimResponse): SimResponse => {
    const sub = tenant.subscriptions.find((s) => sameId(s.subscriptionId, p[0]));
    if (!sub) return apiError(404, 'SubscriptionNotFound', `The subscription '${p[0] ?? ''}' could not be found.`);
    // Listed (the caller has some role on it) but not readable: ARM's authorization failure, as Azure words it.
    if (!sub.callerCanRead)
      return authorizationFailed(state, 'Microsoft.KeyVault/vaults/read', `/subscriptions/${sub.subscriptionId}`);
    return then();
  };

  return [
    ...armSecurityRoutes(state),
    {
      method: 'GET',
      path: /^\/subscriptions\/?$/i,
      handle: (call) =>
        paged(
          tenant.subscriptions.map((s) => ({
            id: `/subscriptions/${s.subscriptionId}`,
            subscriptionId: s.subscriptionId,
            tenantId: s.tenantId ?? tenant.tenantId,
            displayName: s.displayName,
            state: s.state,
            subscriptionPolicies: {
              locationPlacementId: 'Public_2014-09-01',
              quotaId: 'PayAsYouGo_2014-09-01',
              spendingLimit: 'Off',
            },
            authorizationSource: 'RoleBased',
            // A delegated subscription names the caller's tenant as its manager (Lighthouse), as the spec example.
            managedByTenants: s.tenantId && s.tenantId !== tenant.tenantId ? [{ tenantId: tenant.tenantId }] : [],
            tags: {},
          })),
          call,
        ),
    },
    {
      method: 'GET',
      path: new RegExp(`^${SUB}/providers/Microsoft\\.KeyVault/vaults/?$`, 'i'),
      handle: (call, p) =>
        subOr404(p, () =>
          paged(
            vaultsOf(p[0] ?? '').map((v) => vaultResource(tenant, v)),
            call,
          ),
        ),
    },
    {
      method: 'GET',
      path: new RegExp(`^${VAULT}/?$`, 'i'),
      handle: (_call, p) => vaultOr404(p, (v) => json(200, vaultResource(tenant, v))),
    },
    {
      method: 'GET',
      path: new RegExp(`^${VAULT}/secrets/?$`, 'i'),
      handle: (call, p) => vaultOr404(p, (v) => paged(armSecrets(v), call)),
    },
    {
      method: 'GET',
      path: new RegExp(`^${VAULT}/providers/Microsoft\\.Authorization/roleAssignments/?$`, 'i'),
      handle: (call, p) => vaultOr404(p, (v) => json(200, { value: roleAssignments(state, v, call.url) })),
    },
    {
      method: 'GET',
      path: new RegExp(`^${SUB}/providers/Microsoft\\.Authorization/roleDefinitions/([0-9a-f-]{36})/?$`, 'i'),
      handle: (_call, p) => {
        const entry = Object.entries(BUILT_IN_ROLES).find(([, r]) => sameId(r.id, p[1]));
        if (!entry) return apiError(404, 'RoleDefinitionDoesNotExist', 'The specified role definition does not exist.');
        const [roleName, role] = entry;
        return json(200, {
          id: `/subscriptions/${p[0] ?? ''}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
          name: role.id,
          type: 'Microsoft.Authorization/roleDefinitions',
          properties: {
            roleName,
            type: 'BuiltInRole',
            permissions: [{ actions: [], notActions: [], dataActions: role.dataActions, notDataActions: [] }],
            assignableScopes: ['/'],
          },
        });
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^${VAULT}/providers/Microsoft\\.Insights/diagnosticSettings/?$`, 'i'),
      handle: (_call, p) =>
        vaultOr404(p, (v) => {
          const action = 'Microsoft.Insights/diagnosticSettings/read';
          const sub = tenant.subscriptions.find((s) => sameId(s.subscriptionId, v.subscriptionId));
          if (sub && !callerMay(sub, action)) return authorizationFailed(state, action, v.armId);
          return json(200, {
            value: v.spec.diagnostics
              ? [
                  {
                    id: `${v.armId}/providers/microsoft.insights/diagnosticSettings/audit-to-workspace`,
                    name: 'audit-to-workspace',
                    type: 'Microsoft.Insights/diagnosticSettings',
                    properties: {
                      workspaceId: `/subscriptions/${v.subscriptionId}/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-security`,
                      logs: [{ category: 'AuditEvent', enabled: true, retentionPolicy: { enabled: false, days: 0 } }],
                      metrics: [
                        { category: 'AllMetrics', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
                      ],
                    },
                  },
                ]
              : [],
          });
        }),
    },
    {
      method: 'GET',
      path: new RegExp(`^${SUB}/providers/Microsoft\\.Web/sites/?$`, 'i'),
      handle: (call, p) =>
        subOr404(p, () =>
          paged(
            armSites(state, p[0] ?? '').map((w) => w.resource),
            call,
          ),
        ),
    },
    {
      method: 'POST',
      path: new RegExp(
        `^${SUB}/resourceGroups/([^/]+)/providers/Microsoft\\.Web/sites/([^/]+)/config/appsettings/list/?$`,
        'i',
      ),
      write: true,
      handle: (_call, p) => {
        const app = armSites(state, p[0] ?? '').find(
          (w) => sameId(w.spec.resourceGroup, p[1]) && sameId(w.spec.name, p[2]),
        );
        if (!app)
          return apiError(404, 'ResourceNotFound', `The Resource 'Microsoft.Web/sites/${p[2] ?? ''}' was not found.`);
        return json(200, {
          id: `${app.resource.id}/config/appsettings`,
          name: 'appsettings',
          type: 'Microsoft.Web/sites/config',
          location: app.spec.location,
          properties: app.settings,
        });
      },
    },
  ];
}

function sameId(a: string, b: string | undefined): boolean {
  return a.toLowerCase() === (b ?? '').toLowerCase();
}
