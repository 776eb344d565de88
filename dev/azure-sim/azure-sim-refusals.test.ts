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
 * Reads compliance needs that Azure refuses to an identity without the role or permission: ARM's 403
 * AuthorizationFailed (Key Vault Reader at subscription scope has no Microsoft.Insights/diagnosticSettings/read or
 * Microsoft.Security/pricings/read) and Graph's 403 Authorization_RequestDenied on an application's owners.
 */
const SUB_KV_READER = '4c5d6e7f-0000-4000-8000-00000000000d';
const SUB_READER = '4c5d6e7f-0000-4000-8000-00000000000e';
const CALLER = '5d6e7f80-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const vaultId = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`;
let sim: RunningAzureSim;
let restoreEnv: () => void;

beforeAll(async () => {
  sim = await startAzureSim({
    tenant: {
      tenantId: '6e7f8091-2b3c-4d4e-9f50-6b7c8d9e0f1a',
      displayName: 'Refusals',
      caller: { objectId: CALLER, appId: '7f8091a2-3c4d-4e5f-8061-7c8d9e0f1a2b', displayName: 'keyward-identity' },
      subscriptions: [
        {
          subscriptionId: SUB_KV_READER,
          displayName: 'KV reader only',
          callerRole: 'Key Vault Reader',
          vaults: [{ name: 'kv-ref-a', resourceGroup: 'rg', access: { model: 'rbac' }, diagnostics: true }],
        },
        {
          subscriptionId: SUB_READER,
          displayName: 'Reader',
          vaults: [{ name: 'kv-ref-b', resourceGroup: 'rg', access: { model: 'rbac' }, diagnostics: true }],
        },
      ],
      applications: [
        { displayName: 'app-ref', owners: [{ displayName: 'Ada', userPrincipalName: 'ada@example.com' }] },
      ],
    },
  });
  restoreEnv = useSimIdentityEnv(sim);
});
afterAll(async () => {
  restoreEnv();
  await sim.stop();
});

async function get(url: string, scope: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const options = simClientOptions(sim);
  const pipeline = createPipelineFromOptions(options);
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: new ManagedIdentityCredential(), scopes: scope }));
  const request = createPipelineRequest({
    url,
    method: 'GET',
    headers: createHttpHeaders({ accept: 'application/json' }),
    tlsSettings: options.tlsOptions,
  });
  const response = await pipeline.sendRequest(createDefaultHttpClient(), request);
  return { status: response.status, body: JSON.parse(response.bodyAsText ?? '{}') as Record<string, unknown> };
}
const arm = (path: string) => get(`${sim.armEndpoint}${path}`, 'https://management.azure.com/.default');
const graph = (path: string) => get(`${sim.graphEndpoint}${path}`, 'https://graph.microsoft.com/.default');

test('ARM refuses diagnostic settings and Defender plans to Key Vault Reader, and still lists the vaults', async () => {
  const diagnostics = (sub: string, name: string) =>
    arm(`${vaultId(sub, name)}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`);
  const pricing = (sub: string) =>
    arm(`/subscriptions/${sub}/providers/Microsoft.Security/pricings/KeyVaults?api-version=2024-01-01`);

  const refused = await diagnostics(SUB_KV_READER, 'kv-ref-a');
  expect(refused).toEqual({
    status: 403,
    body: {
      error: {
        code: 'AuthorizationFailed',
        message: expect.stringContaining(
          `does not have authorization to perform action 'Microsoft.Insights/diagnosticSettings/read' over scope '${vaultId(SUB_KV_READER, 'kv-ref-a')}'`,
        ) as string,
      },
    },
  });
  expect((await pricing(SUB_KV_READER)).body).toMatchObject({
    error: {
      code: 'AuthorizationFailed',
      message: expect.stringContaining(
        `'Microsoft.Security/pricings/read' over scope '/subscriptions/${SUB_KV_READER}'`,
      ) as string,
    },
  });
  expect(
    (await arm(`/subscriptions/${SUB_KV_READER}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`)).status,
  ).toBe(200);
  // Reader reads both.
  expect((await diagnostics(SUB_READER, 'kv-ref-b')).status).toBe(200);
  expect((await pricing(SUB_READER)).status).toBe(200);
});

test('Graph refuses the owners read with Authorization_RequestDenied while the knob is on', async () => {
  const apps = await graph('/v1.0/applications?$select=id');
  expect(apps.status).toBe(200);
  const id = (apps.body.value as { id: string }[])[0]?.id ?? '';
  expect((await graph(`/v1.0/applications/${id}/owners`)).status).toBe(200);
  sim.setKnobs({ refuseApplicationOwners: true });
  try {
    const refused = await graph(`/v1.0/applications/${id}/owners`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
    expect((await graph('/v1.0/applications?$select=id')).status).toBe(200);
  } finally {
    sim.setKnobs({ refuseApplicationOwners: false });
  }
});
