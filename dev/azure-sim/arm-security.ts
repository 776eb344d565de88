import { apiError, json, type Route, type SimResponse } from './sim-http';
import type { Tenant } from './tenant-schema';
import type { TenantState, VaultState } from './tenant-state';

type Subscription = Tenant['subscriptions'][number];

/** ARM's refusal of an action the caller's role does not grant, as Azure words it. */
export function authorizationFailed(state: TenantState, action: string, scope: string): SimResponse {
  const who = state.tenant.caller.objectId;
  return apiError(
    403,
    'AuthorizationFailed',
    `The client '${who}' with object id '${who}' does not have authorization to perform action ` +
      `'${action}' over scope '${scope}' or the scope is invalid. ` +
      'If access was recently granted, please refresh your credentials.',
  );
}

/** Whether the caller's role at the subscription grants `action` (Reader: every read; Key Vault Reader: vaults). */
export function callerMay(sub: Subscription, action: string): boolean {
  if (!sub.callerCanRead) return false;
  return sub.callerRole === 'Reader' || /^Microsoft\.KeyVault\//i.test(action);
}

const SUB = '/subscriptions/([0-9a-fA-F-]{36})';

/**
 * What compliance reads beyond the vault itself:
 * - Microsoft Defender plans (specification/security/resource-manager/Microsoft.Security/stable/2024-01-01/
 *   pricings.json, Pricings_Get: `GET {scopeId}/providers/Microsoft.Security/pricings/{pricingName}`); the
 *   tenant document sets the KeyVaults plan per subscription, other plans answer Free.
 * - the vault's private endpoint connections (Microsoft.KeyVault vaults properties.privateEndpointConnections,
 *   PrivateEndpointConnectionItem).
 */
export function armSecurityRoutes(state: TenantState): Route[] {
  return [
    {
      method: 'GET',
      path: new RegExp(`^${SUB}/providers/Microsoft\\.Security/pricings/([^/]+)/?$`, 'i'),
      handle: (_call, p) => {
        const sub = state.tenant.subscriptions.find((s) => s.subscriptionId.toLowerCase() === p[0]?.toLowerCase());
        if (!sub) return apiError(404, 'SubscriptionNotFound', `The subscription '${p[0] ?? ''}' could not be found.`);
        const plan = p[1] ?? '';
        const action = 'Microsoft.Security/pricings/read';
        if (!callerMay(sub, action)) return authorizationFailed(state, action, `/subscriptions/${sub.subscriptionId}`);
        const on = plan.toLowerCase() === 'keyvaults' && sub.defenderForKeyVault;
        return json(200, {
          id: `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Security/pricings/${plan}`,
          name: plan,
          type: 'Microsoft.Security/pricings',
          properties: {
            pricingTier: on ? 'Standard' : 'Free',
            ...(on ? { subPlan: 'PerTransaction', enablementTime: '2026-01-01T00:00:00Z' } : {}),
            freeTrialRemainingTime: 'PT0S',
            deprecated: false,
          },
        });
      },
    },
  ];
}

/** `privateEndpointConnections` of a vault resource: one approved connection per endpoint the document asks for. */
export function privateEndpointConnections(vault: VaultState) {
  const count = vault.spec.privateEndpoints;
  if (count === 0) return {};
  return {
    privateEndpointConnections: Array.from({ length: count }, (_, i) => ({
      id: `${vault.armId}/privateEndpointConnections/pe-${vault.spec.name}-${i}`,
      etag: '"00000000-0000-0000-0000-000000000000"',
      properties: {
        privateEndpoint: {
          id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.spec.resourceGroup}/providers/Microsoft.Network/privateEndpoints/pe-${vault.spec.name}-${i}`,
        },
        privateLinkServiceConnectionState: {
          status: 'Approved',
          description: 'Auto-approved',
          actionsRequired: 'None',
        },
        provisioningState: 'Succeeded',
      },
    })),
  };
}
