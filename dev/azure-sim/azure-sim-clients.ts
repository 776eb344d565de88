import type { RunningAzureSim } from './azure-sim';

/**
 * Client options that point the real SDK clients at a running simulator in this process. A separate process
 * uses `sim.env()` instead (NODE_EXTRA_CA_CERTS is read at process start, so it cannot help here).
 * The only Key Vault option production code needs in simulator mode is `disableChallengeResourceVerification`.
 */
export function simClientOptions(sim: RunningAzureSim, maxRetries = 3) {
  return {
    tlsOptions: { ca: sim.caCertPem },
    retryOptions: { maxRetries, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
  };
}

/** Key Vault data-plane client options: the vaults live on 127.0.0.1, not under vault.azure.net. */
export function simKeyVaultOptions(sim: RunningAzureSim, maxRetries = 3) {
  return { ...simClientOptions(sim, maxRetries), disableChallengeResourceVerification: true };
}

/** ARM client options for both client generations (modular `endpoint`, classic `$host` + `endpoint`). */
export function simArmOptions(sim: RunningAzureSim, maxRetries = 3) {
  return { ...simClientOptions(sim, maxRetries), endpoint: sim.armEndpoint, $host: sim.armEndpoint };
}

/**
 * Points this process's managed-identity discovery at the simulator: MSAL reads IDENTITY_ENDPOINT and
 * IDENTITY_HEADER when it first acquires a token, so they stay set until the returned function restores them.
 */
export function useSimIdentityEnv(sim: RunningAzureSim): () => void {
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  process.env.IDENTITY_ENDPOINT = sim.identityEndpoint;
  process.env.IDENTITY_HEADER = sim.identityHeader;
  return () => {
    restore('IDENTITY_ENDPOINT', saved.endpoint);
    restore('IDENTITY_HEADER', saved.header);
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
