import { join } from 'node:path';
import { diagnostics, findBicep, GET_BICEP_HINT, runBicep } from '../../infra/bicep-cli';
import { moduleTemplate, type ArmTemplate } from './infra-template';

// The real Bicep CLI takes several seconds per build on a shared 2-core machine.
jest.setTimeout(180_000);

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly dependsOn?: readonly string[];
  readonly properties?: Record<string, unknown>;
}

const bicep = findBicep();
if (bicep === undefined) console.warn(`Skipping the deployment order tests. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

/**
 * Issue 18 item 1: App Service Authentication is on before any of the app's code can run, because the app trusts
 * principal headers only when the platform attests EasyAuth. ARM runs a resource only after everything in its
 * dependsOn, so the order is read from the compiled template's dependency graph (transitively).
 */
withBicep('function-app.bicep deployment order (compiled template)', () => {
  let resources: Resource[];
  const idOf = (r: Resource): string =>
    r.type === 'Microsoft.Resources/deployments'
      ? `[resourceId('Microsoft.Resources/deployments', '${r.name}')]`
      : r.type === 'Microsoft.Web/sites'
        ? "[resourceId('Microsoft.Web/sites', parameters('name'))]"
        : `[resourceId('${r.type}', parameters('name'), '${/'(\w+)'\)\]$/.exec(r.name)?.[1] ?? ''}')]`;
  const find = (type: string, name?: string): Resource => {
    const found = resources.find((r) => r.type === type && (name === undefined || r.name.includes(`'${name}'`)));
    if (!found) throw new Error(`no ${type} ${name ?? ''}`);
    return found;
  };
  /** Every resource `r` waits for, directly or through others. */
  const waitsFor = (r: Resource, seen = new Set<string>()): Set<string> => {
    for (const id of r.dependsOn ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const next = resources.find((x) => idOf(x) === id);
      if (next) waitsFor(next, seen);
    }
    return seen;
  };

  beforeAll(() => {
    const run = runBicep(bicep ?? '', ['build', join(__dirname, '..', '..', 'azuredeploy.bicep'), '--stdout']);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
    const template = JSON.parse(run.stdout) as ArmTemplate;
    resources = moduleTemplate(template, 'function-app').resources as Resource[];
    // EasyAuth is no longer a sibling of the Function App module that could run after it.
    expect(template.resources.some((r) => r.name === 'easyauth')).toBe(false);
  });

  it('deploys the site, then authsettingsV2, then the app settings, then the package', () => {
    const site = find('Microsoft.Web/sites');
    const auth = find('Microsoft.Resources/deployments', undefined);
    expect(auth.name).toBe('easyauth');
    const appSettings = find('Microsoft.Web/sites/config', 'appsettings');
    const oneDeploy = find('Microsoft.Web/sites/extensions', 'onedeploy');

    expect([...waitsFor(auth)]).toContain(idOf(site));
    expect([...waitsFor(appSettings)]).toEqual(expect.arrayContaining([idOf(site), idOf(auth)]));
    expect([...waitsFor(oneDeploy)]).toEqual(expect.arrayContaining([idOf(site), idOf(auth), idOf(appSettings)]));
    // Nothing that brings code waits for nothing: the site itself carries no package and no app settings.
    const siteConfig = JSON.stringify(site.properties?.siteConfig ?? {});
    expect(siteConfig).not.toContain('appSettings');
    expect(siteConfig).not.toContain('WEBSITE_RUN_FROM_PACKAGE');
  });

  it('has authsettingsV2 in the EasyAuth module, platform enabled, token store off', () => {
    const auth = (find('Microsoft.Resources/deployments').properties?.template as ArmTemplate).resources as Resource[];
    const settings = auth.find((r) => r.type === 'Microsoft.Web/sites/config');
    expect(settings?.name).toContain("'authsettingsV2'");
    expect(settings?.properties).toMatchObject({
      platform: { enabled: true },
      login: { tokenStore: { enabled: false } },
    });
  });

  it('brings the Elastic Premium package only with the app settings (after authentication)', () => {
    const appSettings = JSON.stringify(find('Microsoft.Web/sites/config', 'appsettings').properties);
    expect(appSettings).toContain("variables('premiumSettings')");
    expect(JSON.stringify(resources.filter((r) => r.name.includes("'appsettings'") === false))).not.toContain(
      'WEBSITE_RUN_FROM_PACKAGE',
    );
  });
});
