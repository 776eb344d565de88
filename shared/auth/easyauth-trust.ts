import { readAppSetting } from '../config/app-settings';

/** What the app may trust about the `x-ms-client-principal*` headers it receives. */
export interface EasyAuthTrust {
  /** The configured Entra tenant (AZURE_TENANT_ID), lower-cased: the only tenant whose users are accepted. */
  readonly tenantId: string;
}

/**
 * The platform's attestation that App Service Authentication runs in front of the app: App Service sets
 * `WEBSITE_AUTH_ENABLED=True` with the provider's issuer and client id when it is on (the same test as
 * Microsoft.Identity.Web's AppServicesAuthenticationInformation); the local host sets the same three for the
 * app it runs. These are platform variables, never app settings Keyward deploys (deploying them would forge
 * the attestation), so they are read here and not declared in shared/config/app-settings.ts.
 *
 * Without the attestation — during the deployment window, after the auth module failed, or with
 * Authentication switched off — nothing strips client-supplied principal headers, so none is trusted.
 * Without a configured tenant no principal could be checked, so none is trusted either.
 */
export function readEasyAuthTrust(env: NodeJS.ProcessEnv): EasyAuthTrust | null {
  const enabled = env.WEBSITE_AUTH_ENABLED?.trim().toLowerCase() === 'true';
  const attested = enabled && !!env.WEBSITE_AUTH_OPENID_ISSUER?.trim() && !!env.WEBSITE_AUTH_CLIENT_ID?.trim();
  const tenantId = readAppSetting('AZURE_TENANT_ID', env).trim().toLowerCase();
  return attested && tenantId !== '' ? { tenantId } : null;
}
