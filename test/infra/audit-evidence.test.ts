import { join } from 'node:path';
import { diagnostics, findBicep, GET_BICEP_HINT, runBicep } from '../../infra/bicep-cli';
import { BUILT_IN_ROLES, grants } from './builtin-roles';
import { moduleTemplate, type ArmTemplate } from './infra-template';

// The real Bicep CLI takes several seconds per build on a shared 2-core machine.
jest.setTimeout(180_000);

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly scope?: string;
  readonly condition?: string;
  readonly dependsOn?: readonly string[];
  readonly properties?: Record<string, unknown>;
}

const bicep = findBicep();
if (bicep === undefined) console.warn(`Skipping the audit evidence infrastructure tests. ${GET_BICEP_HINT}`);
const withBicep = bicep === undefined ? describe.skip : describe;

/** What no role of the app may grant where the audit evidence lives: each would let it undo the WORM retention. */
const FORBIDDEN_ACTIONS = [
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/delete',
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/write',
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/lock/action',
  'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/extend/action',
  'Microsoft.Storage/storageAccounts/write',
  'Microsoft.Storage/storageAccounts/delete',
];
const FORBIDDEN_DATA_ACTIONS = [
  // Set Blob Immutability Policy / Delete Blob Immutability Policy / legal holds on a blob version.
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/immutableStorage/runAsSuperUser/action',
];

/** Issue 18 item 2: the audit signing key, the app's roles on it and on the evidence account. */
withBicep('audit evidence in the compiled template', () => {
  let template: ArmTemplate;
  let roleResources: Resource[];
  let roleIds: Record<string, string>;

  beforeAll(() => {
    const run = runBicep(bicep ?? '', ['build', join(__dirname, '..', '..', 'azuredeploy.bicep'), '--stdout']);
    expect({ status: run.status, diagnostics: diagnostics(run) }).toEqual({ status: 0, diagnostics: [] });
    template = JSON.parse(run.stdout) as ArmTemplate;
    const roles = moduleTemplate(template, 'role-assignments');
    roleResources = (roles.resources as Resource[]).filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    roleIds = (roles.variables?.roles ?? {}) as Record<string, string>;
  });

  /** The built-in roles an assignment's roleDefinitionId expression can name (a loop names several). */
  const rolesOf = (resource: Resource): string[] => {
    const expression = String(resource.properties?.roleDefinitionId ?? '');
    return [...expression.matchAll(/variables\('roles'\)\.(\w+)/g)].map((m) => roleIds[m[1] ?? ''] ?? 'unknown');
  };
  /** Assignments whose scope includes the audit evidence: on its account or below, or wider than one resource. */
  const reachingAuditEvidence = (): Resource[] =>
    roleResources.filter((r) => r.scope === undefined || r.scope.includes("parameters('auditStorageAccountName')"));

  it('the matcher is able to fail: Blob Data Owner would be able to delete the immutability policy', () => {
    const owner = BUILT_IN_ROLES['b7e6dc6d-f1e8-4753-8033-0f276bb0955b'];
    expect(owner?.actions.some((p) => grants(p, FORBIDDEN_ACTIONS[0] ?? ''))).toBe(true);
    expect(owner?.dataActions.some((p) => grants(p, FORBIDDEN_DATA_ACTIONS[0] ?? ''))).toBe(true);
  });

  it('gives the app no role on the audit evidence that can delete or alter its immutability policy', () => {
    const reaching = reachingAuditEvidence();
    expect(reaching.length).toBeGreaterThan(0);
    for (const assignment of reaching) {
      // No assignment at resource-group scope: that would reach the evidence account too.
      expect(assignment.scope).toBeDefined();
      for (const roleId of rolesOf(assignment)) {
        const role = BUILT_IN_ROLES[roleId];
        expect({ roleId, known: role !== undefined }).toEqual({ roleId, known: true });
        const granted = [
          ...FORBIDDEN_ACTIONS.filter((op) => role?.actions.some((p) => grants(p, op))),
          ...FORBIDDEN_DATA_ACTIONS.filter((op) => role?.dataActions.some((p) => grants(p, op))),
        ];
        expect({ role: role?.name, granted }).toEqual({ role: role?.name, granted: [] });
      }
    }
    // And it can still write evidence: the one assignment there is Blob Data Contributor on the container.
    expect(reaching.map((r) => [r.scope, rolesOf(r)])).toEqual([
      [
        "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('auditStorageAccountName'), 'default', parameters('auditContainerName'))]",
        ['ba92f5b4-2d11-453d-a403-e96b0029c9fe'],
      ],
    ]);
  });

  it('creates the evidence account with an Unlocked policy, then locks it before the app is deployed', () => {
    const audit = template.resources.find((r) => r.name === 'audit-storage') as unknown as Resource;
    const lock = template.resources.find((r) => r.name === 'audit-storage-lock') as unknown as Resource;
    const params = (r: Resource) => r.properties?.parameters as Record<string, unknown>;
    // lock (the default and the Marketplace's choice) → Unlocked then Locked; keepLocked → Locked in both passes.
    expect(String(params(audit).policyState)).toBe(
      "[if(equals(parameters('auditEvidenceLock'), 'keepLocked'), createObject('value', 'Locked'), createObject('value', 'Unlocked'))]",
    );
    expect(params(lock).policyState).toEqual({ value: 'Locked' });
    expect(lock.condition).toBe("[not(equals(parameters('auditEvidenceLock'), 'unlocked'))]");
    expect(lock.dependsOn).toContain("[resourceId('Microsoft.Resources/deployments', 'audit-storage')]");
    expect(template.parameters.auditEvidenceLock?.defaultValue).toBe('lock');
    const functionApp = template.resources.find((r) => r.name === 'function-app') as unknown as Resource;
    expect(functionApp.dependsOn).toContain("[resourceId('Microsoft.Resources/deployments', 'audit-storage-lock')]");

    const account = (moduleTemplate(template, 'audit-storage').resources as Resource[]).find(
      (r) => r.type === 'Microsoft.Storage/storageAccounts',
    );
    expect(account?.properties).toMatchObject({
      allowSharedKeyAccess: false,
      immutableStorageWithVersioning: {
        enabled: true,
        immutabilityPolicy: {
          immutabilityPeriodSinceCreationInDays: "[parameters('retentionDays')]",
          allowProtectedAppendWrites: false,
          state: "[parameters('policyState')]",
        },
      },
    });
  });

  it('signs with a non-exportable RSA key the app may use only through Key Vault Crypto User on that key', () => {
    const vault = moduleTemplate(template, 'key-vault').resources as Resource[];
    const key = vault.find((r) => r.type === 'Microsoft.KeyVault/vaults/keys');
    expect(key?.properties).toEqual({
      kty: 'RSA',
      keySize: 3072,
      keyOps: ['sign', 'verify'],
      attributes: { enabled: true, exportable: false },
    });
    expect(vault.some((r) => r.name.includes('audit-hmac-key'))).toBe(false);

    const byScope = roleResources.map((r) => ({ scope: r.scope ?? '', roles: rolesOf(r) }));
    // No role of the app on the vault as a whole; one per key or secret it uses.
    expect(byScope.filter((a) => a.scope.includes("'Microsoft.KeyVault/vaults',"))).toEqual([]);
    expect(byScope.filter((a) => a.scope.includes('Microsoft.KeyVault/vaults/keys'))).toEqual([
      {
        scope:
          "[resourceId('Microsoft.KeyVault/vaults/keys', parameters('keyVaultName'), parameters('auditSigningKeyName'))]",
        roles: ['12338af0-0e69-4776-bea7-57ae8d297424'],
      },
    ]);
    expect(byScope.filter((a) => a.scope.includes('Microsoft.KeyVault/vaults/secrets'))).toEqual([
      {
        scope:
          "[resourceId('Microsoft.KeyVault/vaults/secrets', parameters('keyVaultName'), parameters('readSecretNames')[copyIndex()])]",
        roles: ['4633458b-17de-408a-b874-0445c86b69e6'],
      },
    ]);
    // Crypto User signs and reads the public key; it has no data action that reads or exports private key material.
    const cryptoUser = BUILT_IN_ROLES['12338af0-0e69-4776-bea7-57ae8d297424'];
    expect(cryptoUser?.dataActions).toContain('Microsoft.KeyVault/vaults/keys/sign/action');
    for (const op of ['Microsoft.KeyVault/vaults/keys/release/action', 'Microsoft.KeyVault/vaults/keys/create/action'])
      expect(cryptoUser?.dataActions.some((p) => grants(p, op))).toBe(false);
  });

  it('points the app at the signing key and the evidence account', () => {
    const site = moduleTemplate(template, 'function-app');
    const settings = JSON.stringify(site.variables?.computedSettings);
    expect(settings).toContain('"AUDIT_SIGNING_KEY_ID":"[parameters(\'auditSigningKeyUri\')]"');
    expect(settings).toContain('"AUDIT_STORAGE_ACCOUNT_NAME":"[parameters(\'auditStorageAccountName\')]"');
    expect(settings).not.toContain('AUDIT_HMAC_KEY');
  });
});
