import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { keyVaultScopeOf, keyVaultTokenPolicy } from './keyvault-token-policy';

/** A credential that records the scopes it was asked for (no identity provider needed to test a header). */
function recordingCredential(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: async (scope: string | string[]): Promise<AccessToken> => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token: 'tok', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

async function send(method: 'GET' | 'PUT', headers: Record<string, string> = {}) {
  const credential = recordingCredential();
  const policy = keyVaultTokenPolicy(credential, 'https://vault.azure.net/.default');
  const request = createPipelineRequest({
    url: 'https://kv-1.vault.azure.net/secrets',
    method,
    headers: createHttpHeaders(headers),
  });
  let sent: string | undefined;
  await policy.sendRequest(request, async (r): Promise<PipelineResponse> => {
    sent = r.headers.get('authorization');
    return { request: r, status: 200, headers: createHttpHeaders() };
  });
  return { sent, scopes: credential.scopes };
}

describe('Key Vault token policy', () => {
  it('derives the token scope from the vault DNS suffix, not from an IP address', () => {
    expect(keyVaultScopeOf('https://kv-1.vault.azure.net/')).toBe('https://vault.azure.net/.default');
    expect(keyVaultScopeOf('https://kv-1.vault.azure.cn')).toBe('https://vault.azure.cn/.default');
    expect(keyVaultScopeOf('https://hsm.managedhsm.azure.net')).toBe('https://managedhsm.azure.net/.default');
    expect(keyVaultScopeOf('https://127.0.0.1:8443/')).toBeNull();
    expect(keyVaultScopeOf('https://localhost:8443/')).toBeNull();
  });

  it('refuses a scope for any host outside the allow-listed Key Vault DNS suffixes', () => {
    expect(keyVaultScopeOf('https://kv-1.vault.usgovcloudapi.net/')).toBe('https://vault.usgovcloudapi.net/.default');
    expect(keyVaultScopeOf('https://kv-1.attacker.example/')).toBeNull();
    expect(keyVaultScopeOf('https://kv-1.vault.azure.net.attacker.example/')).toBeNull();
    expect(keyVaultScopeOf('https://a.kv-1.vault.azure.net/')).toBeNull();
    expect(keyVaultScopeOf('http://kv-1.vault.azure.net/')).toBeNull();
  });

  it('sends a token with a read that has none, for the vault scope', async () => {
    expect(await send('GET')).toEqual({ sent: 'Bearer tok', scopes: ['https://vault.azure.net/.default'] });
  });

  it("leaves writes and requests the SDK already authorized to the SDK's own challenge handling", async () => {
    expect(await send('PUT')).toEqual({ sent: undefined, scopes: [] });
    expect(await send('GET', { authorization: 'Bearer other-tenant' })).toEqual({
      sent: 'Bearer other-tenant',
      scopes: [],
    });
  });
});
