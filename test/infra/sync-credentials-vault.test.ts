import { join } from 'node:path';
import { diagnostics, findBicep, GET_BICEP_HINT, runBicep } from '../../infra/bicep-cli';
import { BUILT_IN_ROLES } from './builtin-roles';
import { moduleTemplate, type ArmTemplate } from './infra-template';

jest.setTimeout(180_000);

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly scope?: string;
  readonly properties?: Record<string, unknown>;
}

const bicep = findBicep();
if (bicep === undefined) console.warn(`Skipping the sync credentials vault tests. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

/** Issue 22: the vault the sync's provider credentials live in, as the compiled template deploys it. */
withBicep('azuredeploy.bicep: the sync credentials vault (compiled template)', () => {
  let template: ArmTemplate;
  let module: Resource[];
  beforeAll(() => {
    const run = runBicep(bicep ?? '', ['build', join(__dirname, '..', '..', 'azuredeploy.bicep'), '--stdout']);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
    template = JSON.parse(run.stdout) as ArmTemplate;
    module = moduleTemplate(template, 'sync-credentials-vault').resources as Resource[];
  });
  const deployment = (name: string) =>
    template.resources.find((r) => r.name === name) as unknown as {
      properties: { parameters: Record<string, { value: unknown }> };
    };

  it('is its own RBAC vault with soft delete and purge protection, as the main vault', () => {
    const vault = module.find((r) => r.type === 'Microsoft.KeyVault/vaults');
    const main = (moduleTemplate(template, 'key-vault').resources as Resource[]).find(
      (r) => r.type === 'Microsoft.KeyVault/vaults',
    );
    expect(vault?.properties).toMatchObject({
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
    });
    expect(vault?.properties?.publicNetworkAccess).toBe(main?.properties?.publicNetworkAccess);
    expect(vault?.properties).not.toHaveProperty('accessPolicies');
    // Not the main vault: a different name expression, so Secrets Officer here cannot reach the signing key.
    const names = template.variables?.names as Record<string, string>;
    expect(deployment('sync-credentials-vault').properties.parameters.name?.value).toBe(
      "[variables('names').syncCredentialsVault]",
    );
    expect(deployment('key-vault').properties.parameters.name?.value).toBe("[variables('names').keyVault]");
    expect(names.syncCredentialsVault).not.toBe(names.keyVault);
  });

  it('grants the app exactly Key Vault Secrets Officer, on this vault only, and nothing in it on the main vault', () => {
    const assignments = module.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments).toHaveLength(1);
    const [officer] = assignments;
    expect(officer?.scope).toBe("[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]");
    const variableName = /variables\('(\w+)'\)/.exec(String(officer?.properties?.roleDefinitionId))?.[1] ?? '';
    const roleId = String(moduleTemplate(template, 'sync-credentials-vault').variables?.[variableName]);
    expect(BUILT_IN_ROLES[roleId]?.name).toBe('Key Vault Secrets Officer');
    expect(String(officer?.properties?.principalId)).toBe("[parameters('principalId')]");
    const params = deployment('sync-credentials-vault').properties.parameters;
    expect(String(params.principalId?.value)).toContain("'identity'");
    // Marketplace (cross-tenant) deployments need the delegated identity, as every other assignment does.
    expect(String(officer?.properties?.delegatedManagedIdentityResourceId)).toContain(
      "parameters('delegatedIdentity')",
    );
    // The main vault's role assignments stay per key and per secret; none of them is Secrets Officer.
    const roles = moduleTemplate(template, 'role-assignments');
    expect(JSON.stringify(roles)).not.toContain('b86a8fe4-44ce-4948-aee5-eccb2c155cd7');
  });

  it('sends its audit events to the Log Analytics workspace', () => {
    const settings = module.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    expect(settings).toHaveLength(1);
    expect(settings[0]?.properties).toMatchObject({
      workspaceId: "[parameters('workspaceId')]",
      logs: [{ categoryGroup: 'audit', enabled: true }],
    });
    expect(String(deployment('sync-credentials-vault').properties.parameters.workspaceId?.value)).toContain(
      "'monitoring'",
    );
  });

  it('sets KEYWARD_VAULT_URI on the Function App to that vault’s URI', () => {
    const app = moduleTemplate(template, 'function-app');
    expect(JSON.stringify(app.variables)).toContain('"KEYWARD_VAULT_URI":"[parameters(\'syncCredentialsVaultUri\')]"');
    const uri = String(deployment('function-app').properties.parameters.syncCredentialsVaultUri?.value);
    expect(uri).toContain("'sync-credentials-vault'");
    expect(uri).toContain('outputs.vaultUri.value');
  });
});
