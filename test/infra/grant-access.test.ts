import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// infra/grant-access.sh in its default dry-run mode: prints the role assignments and the Graph app role
// assignment, and runs nothing (no az CLI is needed, and none is called).
const script = join(__dirname, '..', '..', 'infra', 'grant-access.sh');
const principal = '11111111-2222-4333-8444-555555555555';
const subs = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];

function grant(args: readonly string[]) {
  // PATH without az: a dry run that tried to call it would fail.
  return spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
}

describe('infra/grant-access.sh (dry run)', () => {
  it('prints Reader and Key Vault Reader for each subscription, and the Graph permission', () => {
    const run = grant(['--principal-id', principal, ...subs]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/dry run/);
    const lines = run.stdout.trim().split('\n');
    const roleLines = lines.filter((l) => l.startsWith('az role assignment create'));
    const expected = subs.flatMap((sub) =>
      ['acdd72a7-3385-48ef-bd42-f606fba81ae7', '21090545-7ca7-4776-b22c-e363652d74d2'].map(
        (role) =>
          `az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role ${role} --scope /subscriptions/${sub}`,
      ),
    );
    expect(roleLines.map((l) => l.trim())).toEqual(expected);
    const graph = lines.filter((l) => l.startsWith('az rest'));
    expect(graph).toHaveLength(1);
    expect(graph[0]).toContain(`servicePrincipals/${principal}/appRoleAssignments`);
    expect(graph[0]).toContain('9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'); // Application.Read.All
  });

  it('leaves the Graph permission out with --no-graph', () => {
    const run = grant(['--principal-id', principal, '--no-graph', subs[0] ?? '']);
    expect(run.stdout).not.toContain('az rest');
    expect(run.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('rejects a principal or subscription that is not a GUID', () => {
    expect(grant(['--principal-id', 'nope', subs[0] ?? '']).status).toBe(2);
    expect(grant(['--principal-id', principal, 'my-subscription']).status).toBe(2);
    expect(grant(['--principal-id', principal]).status).toBe(2);
  });
});
