import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicy, type PipelinePolicy } from '@azure/core-rest-pipeline';

/** The data-plane token scope of Key Vault in the public cloud (also what the simulator's vaults accept). */
export const KEY_VAULT_SCOPE = 'https://vault.azure.net/.default';

/**
 * The DNS suffixes of Key Vault and Managed HSM in Azure's clouds (public, China, US Government). A vault URI comes
 * from ARM or from an admin; a token is only ever requested for, and sent to, one of these services.
 */
export const KEY_VAULT_DNS_SUFFIXES: readonly string[] = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
  'managedhsm.azure.net',
  'managedhsm.azure.cn',
  'managedhsm.usgovcloudapi.net',
];

/**
 * The token scope of a vault from its DNS name: `https://<suffix>/.default`, where the suffix is the vault's host
 * without its first label (`myvault.vault.azure.net` → `vault.azure.net`, `x.vault.azure.cn`,
 * `x.managedhsm.azure.net`). Null unless the suffix is an allow-listed Key Vault suffix: deriving the scope from any
 * host would let a URI such as `https://x.attacker.example` obtain a token of Keyward's identity for a resource the
 * attacker registered, and receive it.
 */
export function keyVaultScopeOf(vaultUri: string): string | null {
  let url: URL;
  try {
    url = new URL(vaultUri);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const labels = url.hostname.toLowerCase().split('.');
  const suffix = labels.slice(1).join('.');
  return labels.length >= 3 && KEY_VAULT_DNS_SUFFIXES.includes(suffix) ? `https://${suffix}/.default` : null;
}

/**
 * Sends a token with a Key Vault client's first request. The SDK clients learn the scope from a 401 challenge,
 * so each new client (three per vault: secrets, certificates, keys) first sends a request without a token and
 * repeats it after the challenge: three of every vault's ~10 list requests were challenges. The scope is known from
 * the vault's DNS suffix, so this policy authorizes reads up front. A request that already carries a token (the SDK's own
 * challenge handling: a vault of another tenant, CAE claims) is left as it is; a 401 still reaches that handling.
 */
export function keyVaultTokenPolicy(credential: TokenCredential, scope: string): PipelinePolicy {
  const bearer = bearerTokenAuthenticationPolicy({ credential, scopes: scope });
  return {
    name: 'keywardKeyVaultToken',
    // GET only: the SDK's policy drops the body of a client's first request (it expects the challenge and resends
    // the body after it), so a pre-authorized write would reach the vault without its body.
    sendRequest: (request, next) =>
      request.method === 'GET' && !request.headers.has('authorization')
        ? bearer.sendRequest(request, next)
        : next(request),
  };
}
