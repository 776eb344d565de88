import type { Clock } from '../../shared/time/clock';
import { checkVaultAccess } from './keyvault-access';
import { findItem } from './keyvault-route-kit';
import { apiError, json, type Route } from './sim-http';

/**
 * `GET /keys/{name}/rotationpolicy` (Key Vault 7.3+, KeyRotationPolicy in specification/keyvault/data-plane/
 * Microsoft.KeyVault/stable/2025-07-01/keys.json). Access: RBAC `keyrotationpolicies/read`, which the Key Vault
 * Reader role grants through `vaults/*\/read` (the simulator's reduced role table expresses it as keys/read);
 * access policies need the `getrotationpolicy` key permission. A key without a policy answers Key Vault's default
 * policy: one Notify action 30 days before expiry, no expiry time.
 */
export function keyRotationRoutes(clock: Clock): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/keys\/([^/]+)\/rotationpolicy\/?$/i,
      handle: (call, p) => {
        const vault = call.vault;
        if (!vault) return apiError(404, 'NotFound', 'Not a vault endpoint');
        const access = vault.spec.access;
        if (access.model === 'accessPolicy') {
          if (!access.keys.some((perm) => perm.toLowerCase() === 'getrotationpolicy'))
            return apiError(
              403,
              'Forbidden',
              `The user, group or application does not have keys getrotationpolicy permission on key vault '${vault.spec.name}'.`,
            );
        } else {
          const denied = checkVaultAccess(vault, call.claims, 'keys', 'get', `/keys/${p[0] ?? ''}/rotationpolicy`);
          if (denied) return denied;
        }
        const name = p[0] ?? '';
        // Any key the vault holds, also one created through the API since: it answers the default policy.
        const key = findItem(vault, 'keys', name);
        if (!key) return apiError(404, 'KeyNotFound', `A key with (name/id) ${name} was not found in this key vault.`);
        const now = Math.floor(clock.now().getTime() / 1000);
        const policy = vault.spec.keys.find((k) => k.name.toLowerCase() === key.name.toLowerCase())?.rotationPolicy;
        const notify = { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } };
        return json(200, {
          id: `${vault.uri}/keys/${key.name}/rotationpolicy`,
          lifetimeActions: policy?.rotate
            ? [{ trigger: { timeAfterCreate: 'P18M' }, action: { type: 'Rotate' } }, notify]
            : [notify],
          attributes: {
            ...(policy?.expiryTime ? { expiryTime: policy.expiryTime } : {}),
            created: now - 86_400,
            updated: now - 86_400,
          },
        });
      },
    },
  ];
}
