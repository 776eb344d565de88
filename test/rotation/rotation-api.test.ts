import { APP_ID, APP_OBJECT_ID, rotationTenant, startRotationStack, type RotationStack } from './rotation-stack';

const CANARY = 'KWLEAKCANARY';

interface RecordBody {
  id: string;
}
interface QuotaError {
  error: string;
  quota: string;
  limit: number;
  used: number;
  resetsAt: string;
}

/**
 * The API on the trial tier through the host: one rotation per app at a time (409 with the running one's id), the
 * trial's three manual rotations a month (403 with quota, usage and reset date), and no secret value anywhere the
 * app writes or answers.
 */
describe('rotation API on the trial', () => {
  let s: RotationStack;
  const responses: string[] = [];
  let recordId = '';
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const answer = await s.call<T>(method, path, body);
    responses.push(answer.text);
    return answer;
  };

  beforeAll(async () => {
    s = await startRotationStack(rotationTenant(), { KEYWARD_TIER: 'trial' });
    // Slow enough replication that a rotation is still running when the second request arrives.
    s.sim.credentials.configure({ propagationDelayMs: 1500, secretPrefix: CANARY });
    const app = s.sim.state.applications.find((a) => a.id === APP_OBJECT_ID);
    const created = await call<RecordBody>('POST', '/api/automation/rotation/records', {
      application: APP_OBJECT_ID,
      keyId: app?.passwordCredentials[0]?.keyId,
      targets: [{ vaultUri: s.vaultUri('kv-apps'), secretName: 'payments-api-secret' }],
      overlapDays: 0,
    });
    expect(created.status).toBe(201);
    recordId = created.body.id;
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('two concurrent "rotate now" requests: one runs, the other gets 409 with the running rotation\'s id', async () => {
    const path = `/api/automation/rotation/records/${recordId}/rotate`;
    const answers = await Promise.all([
      call<{ rotationId: string }>('POST', path),
      call<{ rotationId: string }>('POST', path),
    ]);
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 409);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body).toMatchObject({ error: 'rotation_in_progress', rotationId: accepted[0]?.body.rotationId });
    const done = await s.waitForRotation(accepted[0]?.body.rotationId ?? '');
    expect(done.status).toBe('completed');
    // The refused request spent nothing of the quota.
    const license = await call<{ quotas: { manualRotations: { used: number; limit: number } } }>('GET', '/api/license');
    expect(license.body.quotas.manualRotations).toMatchObject({ used: 1, limit: 3 });
  });

  it('the fourth manual rotation in a month gets 403 with the quota, the usage and the reset date', async () => {
    for (let i = 0; i < 2; i += 1) {
      const ok = await call<{ rotationId: string }>('POST', `/api/automation/rotation/records/${recordId}/rotate`);
      expect(ok.status).toBe(202);
      expect((await s.waitForRotation(ok.body.rotationId)).status).toBe('completed');
    }
    const fourth = await call<QuotaError>('POST', `/api/automation/rotation/records/${recordId}/rotate`);
    expect(fourth.status).toBe(403);
    const now = new Date();
    expect(fourth.body).toMatchObject({ error: 'quota_exceeded', quota: 'manualRotations', limit: 3, used: 3 });
    expect(fourth.body.resetsAt).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    const history = await call<{ total: number }>('GET', `/api/automation/history?recordId=${recordId}`);
    expect(history.body.total).toBe(3);
  });

  it('the trial cannot switch a record to automatic rotation', async () => {
    const answer = await call<{ error: string }>('PUT', `/api/automation/rotation/records/${recordId}`, {
      automatic: true,
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('tier_required');
  });

  it('no secret value in logs, tables (audit included), responses or errors', async () => {
    // The values were real: the vault holds the last one, and it starts with the canary.
    const value = s.sim.state.vaults[0]?.items.secrets.get('payments-api-secret')?.versions.at(-1)?.value ?? '';
    expect(value.startsWith(CANARY)).toBe(true);
    expect(s.sim.credentials.match(APP_ID, value)?.usable).toBe(true);
    const audit = await call<unknown>('GET', '/api/audit?limit=200');
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('rotation.step');
    const tables = JSON.stringify(await s.stack.snapshotTables());
    expect(tables).toContain('Rotations');
    for (const [where, text] of [
      ['host output', s.stack.host.output()],
      ['tables', tables],
      ['responses', responses.join('\n')],
    ] as const) {
      expect({
        where,
        leaked: text.includes(CANARY) || text.includes(value.slice(CANARY.length, CANARY.length + 16)),
      }).toEqual({
        where,
        leaked: false,
      });
    }
  });
});
