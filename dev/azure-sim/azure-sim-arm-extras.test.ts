import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';
import { ManagedIdentityCredential } from '@azure/identity';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { simClientOptions, useSimIdentityEnv } from './azure-sim-clients';

/**
 * Role assignments, Microsoft.Web sites and diagnostic settings have no client among the app's dependencies;
 * they go through the Azure SDK's own pipeline (bearer policy, retries, TLS options), as the app's generic ARM
 * reader would.
 */
const PROD = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
const CALLER = '3f2b9d4e-6a1c-4b7e-8d20-5c9e1f7a2b33';
const vaultId = (rg: string, name: string): string =>
  `/subscriptions/${PROD}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
let sim: RunningAzureSim;
let restoreEnv: () => void;

beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo' });
  restoreEnv = useSimIdentityEnv(sim);
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

async function arm(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const options = simClientOptions(sim);
  const pipeline = createPipelineFromOptions(options);
  pipeline.addPolicy(
    bearerTokenAuthenticationPolicy({
      credential: new ManagedIdentityCredential(),
      scopes: 'https://management.azure.com/.default',
    }),
  );
  const request = createPipelineRequest({
    url: `${sim.armEndpoint}${path}`,
    method,
    headers: createHttpHeaders({ accept: 'application/json' }),
    tlsSettings: options.tlsOptions,
  });
  const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
  return { status: response.status, body: JSON.parse(response.bodyAsText ?? '{}') as Record<string, unknown> };
}

test('role assignments at vault scope show whether the caller holds Key Vault Reader', async () => {
  const filter = encodeURIComponent(`assignedTo('${CALLER}')`);
  const path = (rg: string, name: string): string =>
    `${vaultId(rg, name)}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${filter}`;
  const reader = await arm('GET', path('rg-payments', 'kv-prod-payments'));
  expect(reader.status).toBe(200);
  expect(reader.body.value).toEqual([
    expect.objectContaining({
      type: 'Microsoft.Authorization/roleAssignments',
      properties: expect.objectContaining({
        principalId: CALLER,
        roleDefinitionId: `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/21090545-7ca7-4776-b22c-e363652d74d2`,
        scope: vaultId('rg-payments', 'kv-prod-payments'),
      }),
    }),
  ]);
  expect((await arm('GET', path('rg-data', 'kv-prod-data'))).body.value).toEqual([]);
  const definition = await arm(
    'GET',
    `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/21090545-7ca7-4776-b22c-e363652d74d2?api-version=2022-04-01`,
  );
  expect(definition.body).toMatchObject({ properties: { roleName: 'Key Vault Reader', type: 'BuiltInRole' } });
});

test('web apps are listed and their app settings carry Key Vault references to simulated vault URIs', async () => {
  const sites = await arm('GET', `/subscriptions/${PROD}/providers/Microsoft.Web/sites?api-version=2024-11-01`);
  const names = (sites.body.value as { name: string }[]).map((s) => s.name);
  expect(names).toEqual(['app-payments-api', 'app-identity-portal']);
  const settings = await arm(
    'POST',
    `/subscriptions/${PROD}/resourceGroups/rg-payments/providers/Microsoft.Web/sites/app-payments-api/config/appsettings/list?api-version=2024-11-01`,
  );
  const properties = settings.body.properties as Record<string, string>;
  expect(properties.DB_PASSWORD).toMatch(
    /^@Microsoft\.KeyVault\(SecretUri=https:\/\/127\.0\.0\.1:\d+\/secrets\/pay-db-password\/\)$/,
  );
  expect(properties.API_KEY).toBe('@Microsoft.KeyVault(VaultName=kv-prod-payments;SecretName=pay-api-key)');
});

test('diagnostic settings of a vault: AuditEvent to a workspace, or none', async () => {
  const path = (rg: string, name: string): string =>
    `${vaultId(rg, name)}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`;
  const withLogs = await arm('GET', path('rg-payments', 'kv-prod-payments'));
  expect(withLogs.body.value).toEqual([
    expect.objectContaining({
      properties: expect.objectContaining({
        logs: [expect.objectContaining({ category: 'AuditEvent', enabled: true })],
      }),
    }),
  ]);
  expect((await arm('GET', path('rg-data', 'kv-prod-data'))).body.value).toEqual([]);
});

test('unknown subscriptions and resources are ARM 404s', async () => {
  const missing = await arm(
    'GET',
    `/subscriptions/00000000-0000-4000-a000-000000000000/providers/Microsoft.Web/sites?api-version=2024-11-01`,
  );
  expect(missing).toMatchObject({ status: 404, body: { error: { code: 'SubscriptionNotFound' } } });
});
