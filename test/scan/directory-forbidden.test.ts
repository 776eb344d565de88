import { SELECT, tenant, startDirectorySim } from './directory-sim';

let env: Awaited<ReturnType<typeof startDirectorySim>>;
beforeAll(async () => {
  env = await startDirectorySim(tenant([]));
});
afterAll(async () => {
  await env?.stop();
});

describe('Graph without the permission to read applications', () => {
  it('answers 403 Authorization_RequestDenied without Application.Read.All (the directory unit is then forbidden)', async () => {
    const refused = await env.cloud
      .graph()
      .listAll(`/v1.0/applications?${SELECT}`)
      .catch((e: unknown) => e);
    // scanDirectory records `forbidden` (not a failed scan) for a 403: the status and code it sees are these.
    expect(refused).toMatchObject({ statusCode: 403 });
    expect(JSON.stringify(refused)).toContain('Authorization_RequestDenied');
  });
});
