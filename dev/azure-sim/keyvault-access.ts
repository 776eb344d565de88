import type { SimTokenClaims } from './sim-auth';
import { apiError, type SimResponse } from './sim-http';
import type { ItemKind, VaultState } from './tenant-state';

/** Data-plane operations, with the RBAC data action and the access-policy permission each needs. */
export type KeyVaultOperation = 'list' | 'get' | 'set' | 'update' | 'delete' | 'create' | 'import' | 'sign';

const RBAC_ACTIONS: Record<ItemKind, Partial<Record<KeyVaultOperation, string>>> = {
  secrets: {
    list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
    update: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
    delete: 'Microsoft.KeyVault/vaults/secrets/delete',
  },
  certificates: {
    list: 'Microsoft.KeyVault/vaults/certificates/read',
    get: 'Microsoft.KeyVault/vaults/certificates/read',
    create: 'Microsoft.KeyVault/vaults/certificates/create/action',
    import: 'Microsoft.KeyVault/vaults/certificates/import/action',
    update: 'Microsoft.KeyVault/vaults/certificates/update/action',
    delete: 'Microsoft.KeyVault/vaults/certificates/delete',
  },
  keys: {
    list: 'Microsoft.KeyVault/vaults/keys/read',
    get: 'Microsoft.KeyVault/vaults/keys/read',
    create: 'Microsoft.KeyVault/vaults/keys/create/action',
    import: 'Microsoft.KeyVault/vaults/keys/import/action',
    update: 'Microsoft.KeyVault/vaults/keys/update/action',
    delete: 'Microsoft.KeyVault/vaults/keys/delete',
    sign: 'Microsoft.KeyVault/vaults/keys/sign/action',
  },
};

/**
 * Data actions of the built-in Key Vault roles, reduced to the ones the simulator checks
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles/security). `*` matches a path segment tail.
 */
export const BUILT_IN_ROLES: Record<string, { readonly id: string; readonly dataActions: readonly string[] }> = {
  'Key Vault Administrator': {
    id: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    dataActions: ['Microsoft.KeyVault/vaults/*'],
  },
  'Key Vault Reader': {
    id: '21090545-7ca7-4776-b22c-e363652d74d2',
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      'Microsoft.KeyVault/vaults/certificates/read',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
  },
  'Key Vault Secrets User': {
    id: '4633458b-17de-408a-b874-0445c86b69e6',
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  },
  'Key Vault Secrets Officer': {
    id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  'Key Vault Certificates Officer': {
    id: 'a4417e6f-fecd-4de8-b567-7b0420556985',
    dataActions: ['Microsoft.KeyVault/vaults/certificates/*', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  },
  'Key Vault Crypto User': {
    id: '12338af0-0e69-4776-bea7-57ae8d297424',
    dataActions: [
      'Microsoft.KeyVault/vaults/keys/read',
      'Microsoft.KeyVault/vaults/keys/update/action',
      'Microsoft.KeyVault/vaults/keys/backup/action',
      'Microsoft.KeyVault/vaults/keys/encrypt/action',
      'Microsoft.KeyVault/vaults/keys/decrypt/action',
      'Microsoft.KeyVault/vaults/keys/wrap/action',
      'Microsoft.KeyVault/vaults/keys/unwrap/action',
      'Microsoft.KeyVault/vaults/keys/sign/action',
      'Microsoft.KeyVault/vaults/keys/verify/action',
    ],
  },
  'Key Vault Crypto Officer': {
    id: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
    dataActions: ['Microsoft.KeyVault/vaults/keys/*', 'Microsoft.KeyVault/vaults/keyrotationpolicies/*'],
  },
  'Key Vault Certificate User': {
    id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    dataActions: [
      'Microsoft.KeyVault/vaults/certificates/read',
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
  },
};

function roleAllows(role: string, action: string): boolean {
  return (BUILT_IN_ROLES[role]?.dataActions ?? []).some((a) =>
    a.endsWith('*') ? action.startsWith(a.slice(0, -1)) : a === action,
  );
}

function callerText(claims: SimTokenClaims): string {
  return `appid=${claims.appid};oid=${claims.oid};iss=${claims.iss}`;
}

/**
 * Decides a data-plane call the way Key Vault does after authentication: firewall first, then the vault's
 * permission model. Answers null when allowed, else the 403 with Key Vault's error body.
 */
export function checkVaultAccess(
  vault: VaultState,
  claims: SimTokenClaims,
  kind: ItemKind,
  operation: KeyVaultOperation,
  resourcePath: string,
): SimResponse | null {
  const where = `${vault.spec.name};location=${vault.spec.location}`;
  if (vault.spec.firewalled) {
    return apiError(
      403,
      'Forbidden',
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\nCaller: ${callerText(claims)}\r\nVault: ${where}`,
      'ForbiddenByFirewall',
    );
  }
  const access = vault.spec.access;
  if (access.model === 'rbac') {
    const action = RBAC_ACTIONS[kind][operation] ?? `Microsoft.KeyVault/vaults/${kind}/${operation}/action`;
    if (access.callerRoles.some((r) => roleAllows(r, action))) return null;
    return apiError(
      403,
      'Forbidden',
      'Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
        `Caller: ${callerText(claims)}\r\nAction: '${action}'\r\nResource: '${vault.armId.toLowerCase()}${resourcePath}'\r\n` +
        `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${where}\r\n`,
      'ForbiddenByRbac',
    );
  }
  // Secrets have no separate "update" access-policy permission: updating properties needs "set".
  const needed = kind === 'secrets' && operation === 'update' ? 'set' : operation;
  const granted = access[kind].map((p) => p.toLowerCase());
  if (granted.includes(needed) || granted.includes('all')) return null;
  return apiError(
    403,
    'Forbidden',
    `The user, group or application '${callerText(claims)}' does not have ${kind} ${needed} permission on key vault '${where}'. ` +
      'For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287',
    'AccessDenied',
  );
}
