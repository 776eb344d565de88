import { applyEasyAuthAttestation } from './auth-attestation';
import { LOCAL_TENANT_ID } from './auth-principal';

describe('applyEasyAuthAttestation', () => {
  it("sets App Service's three EasyAuth variables, with the local tenant's issuer", () => {
    const env: NodeJS.ProcessEnv = { OTHER: 'x' };
    applyEasyAuthAttestation(env, true);
    expect(env).toEqual({
      OTHER: 'x',
      WEBSITE_AUTH_ENABLED: 'True',
      WEBSITE_AUTH_OPENID_ISSUER: `https://login.microsoftonline.com/${LOCAL_TENANT_ID}/v2.0`,
      WEBSITE_AUTH_CLIENT_ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('removes inherited copies when the host runs without attestation', () => {
    const env: NodeJS.ProcessEnv = {
      WEBSITE_AUTH_ENABLED: 'true',
      WEBSITE_AUTH_OPENID_ISSUER: 'i',
      WEBSITE_AUTH_CLIENT_ID: 'c',
    };
    applyEasyAuthAttestation(env, false);
    expect(env).toEqual({});
  });
});
