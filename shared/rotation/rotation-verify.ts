import type { TlsSettings } from '@azure/core-rest-pipeline';
import { CloudCallError } from './rotation-cloud';

/** How verification retries while Entra replicates a new credential (no SLA; 4–18 s observed, see docs/rotation.md). */
export interface VerifySchedule {
  readonly attempts: number;
  readonly firstWaitMs: number;
}

export interface VerifyDeps {
  readonly authorityHost: string;
  readonly tlsOptions?: TlsSettings;
  readonly schedule: VerifySchedule;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Proves a new client secret works: asks the tenant's token endpoint for a client-credentials token with it. */
export type VerifySecret = (tenantId: string, appId: string, secret: string) => Promise<{ attempts: number }>;

/** Proves a new certificate works: a token for a client assertion that `assertion(audience)` signs with it. */
export type VerifyCertificate = (
  tenantId: string,
  appId: string,
  assertion: (audience: string) => Promise<string>,
) => Promise<{ attempts: number }>;

const MAX_WAIT_MS = 30_000;

/** The AADSTS code of an Entra refusal (e.g. AADSTS7000215, invalid client secret), never its text. */
function entraCode(error: unknown): string {
  const text = error instanceof Error ? error.message : '';
  return /AADSTS\d+/.exec(text)?.[0] ?? (error instanceof Error ? error.name : 'unknown');
}

/**
 * Uses @azure/identity's ClientSecretCredential, the client the app's own consumers use, so a pass means their
 * token requests will pass too. A refusal is read as "not replicated yet" until the attempts run out; the last
 * refusal's AADSTS code is the failure's code.
 */
export function createSecretVerifier(deps: VerifyDeps): VerifySecret {
  return (tenantId, appId, secret) =>
    attempts(deps, (identity, options) => new identity.ClientSecretCredential(tenantId, appId, secret, options));
}

/** The same, with @azure/identity's ClientAssertionCredential: the assertion is signed in Key Vault, per attempt. */
export function createCertificateVerifier(deps: VerifyDeps): VerifyCertificate {
  return (tenantId, appId, assertion) => {
    const audience = `${deps.authorityHost}/${tenantId}/oauth2/v2.0/token`;
    return attempts(
      deps,
      (identity, options) =>
        new identity.ClientAssertionCredential(tenantId, appId, () => assertion(audience), options),
    );
  };
}

type IdentitySdk = typeof import('@azure/identity');
type CredentialOptions = import('@azure/identity').ClientSecretCredentialOptions;

async function attempts(
  deps: VerifyDeps,
  credentialFor: (identity: IdentitySdk, options: CredentialOptions) => import('@azure/core-auth').TokenCredential,
): Promise<{ attempts: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const identity = require('@azure/identity') as IdentitySdk;
  let wait = deps.schedule.firstWaitMs;
  let lastCode = 'unknown';
  for (let attempt = 1; attempt <= deps.schedule.attempts; attempt += 1) {
    // A fresh credential per attempt: MSAL must not answer from a cache or remember a failure.
    const credential = credentialFor(identity, {
      authorityHost: deps.authorityHost,
      disableInstanceDiscovery: true,
      retryOptions: { maxRetries: 0 },
      ...(deps.tlsOptions ? { tlsOptions: deps.tlsOptions } : {}),
    });
    try {
      await credential.getToken('https://graph.microsoft.com/.default');
      return { attempts: attempt };
    } catch (error) {
      lastCode = entraCode(error);
    }
    if (attempt < deps.schedule.attempts) {
      await deps.sleep(wait);
      wait = Math.min(MAX_WAIT_MS, Math.round(wait * 1.5));
    }
  }
  throw new CloudCallError('token', 401, lastCode);
}
