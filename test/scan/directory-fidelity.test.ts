import { directoryItems } from '../../shared/scan/directory-scanner';

import { SELECT, tenant, startDirectorySim, caller, SUB, LOCKED } from './directory-sim';

type Credential = Record<string, unknown>;
type GraphObject = { id: string; passwordCredentials: Credential[]; keyCredentials: Credential[] };

let env: Awaited<ReturnType<typeof startDirectorySim>>;
beforeAll(async () => {
  env = await startDirectorySim(tenant());
});
afterAll(async () => {
  await env?.stop();
});

describe('Graph, ARM and the identity endpoint as Azure answers them', () => {
  it('service principals carry credentials; password reads have secretText null, key credentials no hint', async () => {
    const graph = env.cloud.graph();
    const sps = await graph.listAll<GraphObject>(`/v1.0/servicePrincipals?${SELECT}`);
    const apps = await graph.listAll<GraphObject>(`/v1.0/applications?${SELECT}`);
    const all = [...sps, ...apps];
    for (const o of all) {
      for (const p of o.passwordCredentials) expect(p).toHaveProperty('secretText', null);
      for (const k of o.keyCredentials) expect(k).not.toHaveProperty('hint');
    }
    const saml = sps.find((o) => o.keyCredentials.length > 0);
    expect(saml?.keyCredentials.map((k) => k.usage).sort()).toEqual(['Sign', 'Verify']);
    expect(saml?.passwordCredentials).toHaveLength(1);
    // The scan inventories the service principal's credentials as well as the app registrations'.
    const items = directoryItems(
      'entra_t',
      [...apps.map((o) => ({ kind: 'app' as const, o })), ...sps.map((o) => ({ kind: 'sp' as const, o }))],
      'scan-1',
    );
    const fromSp = items.filter((i) => i.row.includes(`_sp_${saml?.id ?? ''}_`));
    expect(fromSp.map((i) => i.type).sort()).toEqual(['appCertificate', 'appCertificate', 'appSecret']);
    expect(items.filter((i) => i.type === 'appSecret')).toHaveLength(2);
  });

  it('answers 403 AuthorizationFailed for a listed subscription the identity cannot read; the identity endpoint names client_id', async () => {
    const list = async (sub: string) => {
      const names: string[] = [];
      for await (const v of env.cloud.keyVaultManagement(sub).vaults.listBySubscription()) names.push(v.name ?? '');
      return names;
    };
    await expect(list(SUB)).resolves.toEqual([]);
    await expect(list(LOCKED)).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    const token = await fetch(
      `${env.sim.identityEndpoint}?resource=${encodeURIComponent('https://management.azure.com')}&api-version=2019-08-01`,
      { headers: { 'x-identity-header': env.sim.identityHeader } },
    );
    expect(await token.json()).toMatchObject({ client_id: caller.appId, token_type: 'Bearer' });
  });
});
