import { execFile } from 'node:child_process';
import { startAzureSim, type RunningAzureSim } from './azure-sim';
import { defaultKnobs, noFaults } from './sim-knobs';

/**
 * The Graph SDK sends with Node's global fetch, which only trusts CAs given at process start
 * (NODE_EXTRA_CA_CERTS). So these tests run the real client in a child process configured by `sim.env()` alone:
 * exactly how the app is pointed at the simulator.
 */
const CLIENT = `
const { Client } = require('@microsoft/microsoft-graph-client');
const { TokenCredentialAuthenticationProvider } = require('@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials');
const { DefaultAzureCredential } = require('@azure/identity');
const authProvider = new TokenCredentialAuthenticationProvider(new DefaultAzureCredential(), { scopes: ['https://graph.microsoft.com/.default'] });
const client = Client.initWithMiddleware({ authProvider, baseUrl: process.env.KEYWARD_GRAPH_ENDPOINT + '/', customHosts: new Set(['127.0.0.1']) });
const out = {};
const fail = (e) => ({ statusCode: e.statusCode, code: e.code });
`;

const SCENARIOS: Record<string, string> = {
  contract: `
(async () => {
  out.organization = (await client.api('/organization').get()).value[0];
  const pages = [];
  let page = await client.api('/applications').select('id,appId,displayName,passwordCredentials,keyCredentials').top(4).get();
  for (;;) {
    pages.push(page.value);
    if (!page['@odata.nextLink']) break;
    page = await client.api(page['@odata.nextLink']).get();
  }
  out.pages = pages;
  const app = pages[0][0];
  out.owners = (await client.api('/applications/' + app.id + '/owners').get()).value;
  out.added = await client.api('/applications/' + app.id + '/addPassword').post({ passwordCredential: { displayName: 'rotated' } });
  out.afterAdd = (await client.api('/applications/' + app.id).get()).passwordCredentials;
  await client.api('/applications/' + app.id + '/removePassword').post({ keyId: out.added.keyId });
  out.afterRemove = (await client.api('/applications/' + app.id).get()).passwordCredentials;
  out.servicePrincipals = (await client.api('/servicePrincipals').top(999).get()).value;
  out.badTop = await client.api('/applications').top(1000).get().then(() => 'ok', fail);
  out.missing = await client.api('/applications/00000000-0000-4000-a000-000000000000').get().then(() => 'ok', fail);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });`,
  throttled: `
(async () => {
  out.names = [];
  for (let i = 0; i < 3; i++) out.names.push((await client.api('/organization').get()).value[0].displayName);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });`,
  fault: `
(async () => {
  out.error = await client.api('/applications').get().then(() => 'ok', fail);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });`,
};

// Child processes and Retry-After waits take seconds on a busy machine; this bounds a hang, not speed.
jest.setTimeout(60_000);
let sim: RunningAzureSim;
beforeAll(async () => {
  sim = await startAzureSim({ tenant: 'demo' });
});
afterAll(async () => {
  await sim.stop();
});

function runGraphClient(scenario: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', CLIENT + (SCENARIOS[scenario] ?? '')],
      { cwd: process.cwd(), env: { ...process.env, ...sim.env() }, timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${error.message}\n${stderr}`))
          : resolve(JSON.parse(stdout) as Record<string, unknown>),
    );
  });
}

interface Credential {
  keyId: string;
  displayName: string | null;
  endDateTime: string;
  secretText?: string;
}

test('applications page with $select/$top/@odata.nextLink; owners; addPassword returns secretText once; removePassword', async () => {
  const out = (await runGraphClient('contract')) as {
    organization: { id: string; displayName: string };
    pages: Record<string, unknown>[][];
    owners: { userPrincipalName: string }[];
    added: Credential;
    afterAdd: Credential[];
    afterRemove: Credential[];
    servicePrincipals: { appId: string }[];
    badTop: { statusCode: number; code: string };
    missing: { statusCode: number; code: string };
  };
  expect(out.organization).toMatchObject({ id: sim.tenantId, displayName: 'Contoso Demo' });
  expect(out.pages.map((p) => p.length)).toEqual([4, 4, 2]);
  expect(Object.keys(out.pages[0]?.[0] ?? {}).sort()).toEqual([
    'appId',
    'displayName',
    'id',
    'keyCredentials',
    'passwordCredentials',
  ]);
  expect(out.owners[0]?.userPrincipalName).toBe('alice@contoso.com');
  expect(out.added.secretText?.length).toBeGreaterThanOrEqual(30);
  expect(out.added.displayName).toBe('rotated');
  const stored = out.afterAdd.find((c) => c.keyId === out.added.keyId);
  expect(stored).toBeDefined();
  expect(stored?.secretText).toBeNull(); // Graph reads return secretText: null
  expect(JSON.stringify(out.afterAdd)).not.toContain(out.added.secretText ?? '');
  expect(out.afterRemove.some((c) => c.keyId === out.added.keyId)).toBe(false);
  expect(out.servicePrincipals).toHaveLength(10);
  expect(out.badTop).toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery' });
  expect(out.missing).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  // Nothing the simulator records holds the secret text.
  expect(JSON.stringify(sim.requestLog())).not.toContain(out.added.secretText ?? '');
});

test('Graph throttling answers 429 + Retry-After and the Graph client retries', async () => {
  sim.setKnobs({ throttling: { ...defaultKnobs.throttling, graphResourceUnits: { capacity: 2, refillPerSecond: 1 } } });
  try {
    const out = await runGraphClient('throttled');
    expect(out.names).toEqual(['Contoso Demo', 'Contoso Demo', 'Contoso Demo']);
    const graph = sim.requestLog().filter((r) => r.api === 'graph' && r.path.startsWith('/v1.0/organization'));
    expect(graph.some((r) => r.status === 429)).toBe(true);
    expect(graph.at(-1)?.status).toBe(200);
  } finally {
    sim.setKnobs({ throttling: defaultKnobs.throttling });
  }
});

test('an injected 500 surfaces as the Graph client error', async () => {
  sim.setKnobs({ apis: { ...defaultKnobs.apis, graph: { ...noFaults, error500Rate: 1 } } });
  try {
    expect(await runGraphClient('fault')).toEqual({ error: { statusCode: 500, code: 'InternalServerError' } });
  } finally {
    sim.setKnobs({ apis: defaultKnobs.apis });
  }
});
