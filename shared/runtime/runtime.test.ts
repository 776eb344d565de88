import { appSettings } from '../config/app-settings';
import { createRuntime } from './runtime';

/** The declared local values: what `npm start` runs with. */
const localEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(appSettings).map(([name, spec]) => [name, spec.local]));

describe('createRuntime', () => {
  it('refuses to start with KEYWARD_LOCAL_MODE=true in App Service', () => {
    const azure = { ...localEnv(), KEYWARD_LOCAL_MODE: 'true', WEBSITE_SITE_NAME: 'func-keyward-abc' };
    expect(() => createRuntime({ env: azure })).toThrow(/KEYWARD_LOCAL_MODE must not be true in Azure/);
    expect(() => createRuntime({ env: { ...azure, WEBSITE_SITE_NAME: undefined, WEBSITE_INSTANCE_ID: 'x' } })).toThrow(
      /KEYWARD_LOCAL_MODE/,
    );
  });

  it('starts in App Service without local mode, and on a laptop with it', () => {
    expect(() =>
      createRuntime({ env: { ...localEnv(), KEYWARD_LOCAL_MODE: 'false', WEBSITE_SITE_NAME: 'func-keyward-abc' } }),
    ).not.toThrow();
    expect(() => createRuntime({ env: { ...localEnv(), KEYWARD_LOCAL_MODE: 'true' } })).not.toThrow();
  });
});
