import { forwardedForTrusted } from './client-address';

describe('trusting X-Forwarded-For', () => {
  it('trusts it behind App Service (the platform sets WEBSITE_SITE_NAME / WEBSITE_INSTANCE_ID) or the local host', () => {
    expect(forwardedForTrusted({ WEBSITE_SITE_NAME: 'keyward-abc' })).toBe(true);
    expect(forwardedForTrusted({ WEBSITE_INSTANCE_ID: 'f00' })).toBe(true);
    expect(forwardedForTrusted({ KEYWARD_LOCAL_MODE: 'true' })).toBe(true);
  });

  it('does not trust it anywhere else', () => {
    expect(forwardedForTrusted({})).toBe(false);
    expect(forwardedForTrusted({ KEYWARD_LOCAL_MODE: 'false', WEBSITE_SITE_NAME: '' })).toBe(false);
  });
});
