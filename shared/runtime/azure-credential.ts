import type { TokenCredential } from '@azure/core-auth';
import { readAppSetting } from '../config/app-settings';

let credential: TokenCredential | undefined;

/**
 * The one credential for identity-based connections, built on first use and cached for the process so its
 * token cache is shared. AZURE_CLIENT_ID selects the user-assigned managed identity.
 */
export function azureCredential(env: NodeJS.ProcessEnv = process.env): TokenCredential {
  if (!credential) {
    // Loaded here, not at the top, so a cold start that never needs it does not pay for @azure/identity.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
    const clientId = readAppSetting('AZURE_CLIENT_ID', env);
    credential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  }
  return credential;
}
