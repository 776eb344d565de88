import { LOCAL_TENANT_ID } from './auth-principal';

/** A fixed, obviously local client id for the emulated Entra app registration. */
export const LOCAL_AUTH_CLIENT_ID = '00000000-0000-0000-0000-0000000a11ce';

/** The variables App Service sets for an app when Authentication (EasyAuth) is on. */
const ATTESTATION_VARIABLES = ['WEBSITE_AUTH_ENABLED', 'WEBSITE_AUTH_OPENID_ISSUER', 'WEBSITE_AUTH_CLIENT_ID'] as const;

/**
 * Tells the app, as App Service does, whether EasyAuth is in front of it. The app believes principal headers
 * only with this attestation, so the host sets it for the app it runs (issuer: the local tenant, the tenant
 * whose users the local sign-in issues), or — `attested: false`, as with Authentication switched off —
 * removes any inherited copy, so the app must refuse the principals it still receives.
 */
export function applyEasyAuthAttestation(env: NodeJS.ProcessEnv, attested: boolean): void {
  for (const name of ATTESTATION_VARIABLES) delete env[name];
  if (!attested) return;
  env.WEBSITE_AUTH_ENABLED = 'True';
  env.WEBSITE_AUTH_OPENID_ISSUER = `https://login.microsoftonline.com/${LOCAL_TENANT_ID}/v2.0`;
  env.WEBSITE_AUTH_CLIENT_ID = LOCAL_AUTH_CLIENT_ID;
}
