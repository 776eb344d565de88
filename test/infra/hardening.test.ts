import { join } from 'node:path';
import { diagnostics, findBicep, GET_BICEP_HINT, runBicep } from '../../infra/bicep-cli';
import { moduleTemplate, type ArmTemplate } from './infra-template';

// The real Bicep CLI takes several seconds per build on a shared 2-core machine.
jest.setTimeout(180_000);

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly scope?: string;
  readonly properties?: Record<string, unknown>;
}

const bicep = findBicep();
if (bicep === undefined) console.warn(`Skipping the infrastructure hardening tests. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

/** Issue 18, item 13: what the compiled template deploys. */
withBicep('azuredeploy.bicep hardening (compiled template)', () => {
  let template: ArmTemplate;
  const resources = (module: string): Resource[] => moduleTemplate(template, module).resources as Resource[];

  beforeAll(() => {
    const run = runBicep(bicep ?? '', ['build', join(__dirname, '..', '..', 'azuredeploy.bicep'), '--stdout']);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
    template = JSON.parse(run.stdout) as ArmTemplate;
  });

  it('disables basic publishing credentials for FTP and SCM', () => {
    const policies = resources('function-app').filter(
      (r) => r.type === 'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
    );
    const kindOf = (name: string): string | undefined => /'(ftp|scm)'\)\]$/.exec(name)?.[1];
    const byKind = Object.fromEntries(policies.map((r) => [kindOf(r.name), r.properties]));
    expect(byKind).toEqual({ ftp: { allow: false }, scm: { allow: false } });
  });

  it('sends Key Vault audit events and storage writes and deletes to the Log Analytics workspace', () => {
    const settings = resources('diagnostics').filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    const scopes = settings.map((r) => r.scope ?? '');
    expect(scopes.some((s) => s.includes('Microsoft.KeyVault/vaults'))).toBe(true);
    expect(scopes.some((s) => s.includes('blobServices'))).toBe(true);
    expect(scopes.some((s) => s.includes('tableServices'))).toBe(true);
    for (const setting of settings) {
      expect(setting.properties?.workspaceId).toBe("[parameters('workspaceId')]");
      expect(setting.properties?.logs).toEqual(expect.arrayContaining([expect.objectContaining({ enabled: true })]));
    }
    const diagnosticsModule = template.resources.find((r) => r.name === 'diagnostics') as unknown as {
      properties: { parameters: { workspaceId: { value: string } } };
    };
    expect(diagnosticsModule.properties.parameters.workspaceId.value).toContain("'monitoring'");
  });
});
