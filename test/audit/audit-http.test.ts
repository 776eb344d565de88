import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { AUDIT_EXPORTS_CONTAINER } from '../../shared/audit/audit-export';
import { AUDIT_TABLE } from '../../shared/audit/audit-runtime';
import { createAuditService } from '../../shared/audit/audit-service';
import { systemClock } from '../../shared/time/clock';
import { readAuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { verifyAuditExport } from '../../shared/audit/verify/verify-audit-export';
import { startKeywardStack, type KeywardStack } from '../support/keyward-stack';

jest.setTimeout(120_000);

// The audit routes through the local host on the compiled app (`npm run build` first), with entries seeded
// through the service into the same Azurite the host uses.
describe('audit API through the host', () => {
  let stack: KeywardStack;
  let admin: string;
  let reader: string;
  const noSigning = (): Promise<never> => Promise.reject(new Error('the seeding service only appends'));

  beforeAll(async () => {
    stack = await startKeywardStack();
    admin = await stack.signIn({ email: 'admin@example.com', name: 'Ada Admin', roles: ['admin'] });
    reader = await stack.signIn({ email: 'reader@example.com', roles: ['reader'] });
    const connection = stack.azurite.connectionString;
    const seeding = createAuditService({
      table: TableClient.fromConnectionString(connection, AUDIT_TABLE, { allowInsecureConnection: true }),
      exportsContainer: BlobServiceClient.fromConnectionString(connection).getContainerClient(AUDIT_EXPORTS_CONTAINER),
      clock: systemClock,
      signer: { sign: noSigning, publicKey: noSigning },
      tenant: { id: 'seed', name: 'seed' },
    });
    await seeding.append({
      actor: { type: 'user', id: 'u-1', name: 'Ada' },
      action: 'settings.updated',
      target: 'settings/general',
      outcome: 'success',
      details: { setting: 'smtp', old: { host: 'a' }, new: { host: 'b', password: 'SEEDED-SMTP-PASSWORD' } },
    });
    await seeding.append({ actor: { type: 'system' }, action: 'discovery.scan.completed', outcome: 'partial' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = async (path: string, cookie: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${stack.url}${path}`, { headers: { cookie } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists, filters and counts', async () => {
    const list = await get('/api/audit?action=settings', reader);
    expect(list.status).toBe(200);
    expect((list.body.entries as { seq: number }[]).map((e) => e.seq)).toEqual([1]);
    // Besides the two seeded entries, the app's first request recorded the trial start (license.trialStarted).
    const all = (await get('/api/audit', reader)).body.entries as { action: string; outcome: string }[];
    expect(all.map((e) => e.action)).toEqual(['settings.updated', 'discovery.scan.completed', 'license.trialStarted']);
    const stats = await get('/api/audit/stats', reader);
    expect(stats.body).toMatchObject({ total: 3, byOutcome: { success: 2, partial: 1 } });
  });

  it('exports a PDF bundle for an admin whose CSV and manifest verify, without the seeded secret', async () => {
    expect((await get('/api/audit/export?format=csv', reader)).status).toBe(403);
    const response = await fetch(`${stack.url}/api/audit/export?format=pdf`, { headers: { cookie: admin } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('SEEDED-SMTP-PASSWORD');
    const body = JSON.parse(text) as {
      csv: string;
      manifest: { rowCount: number };
      pdfBase64: string;
      blobs: { pdf: string };
    };
    expect(body.manifest.rowCount).toBe(3); // two seeded entries and the trial start
    // Verified with the published public key alone.
    const published = await get('/api/audit/public-key', reader);
    expect(published.status).toBe(200);
    const publicKey = readAuditPublicKey(String(published.body.pem));
    expect(
      verifyAuditExport({ csv: Buffer.from(body.csv, 'utf8'), manifest: body.manifest, publicKeys: [publicKey] }),
    ).toMatchObject({ ok: true, algorithmVersion: 2 });
    expect(Buffer.from(body.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const container = BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient(
      AUDIT_EXPORTS_CONTAINER,
    );
    expect(await container.getBlockBlobClient(body.blobs.pdf).exists()).toBe(true);

    // The export itself is audited, with the signed-in admin as actor.
    const exported = await get('/api/audit?action=audit.exported', reader);
    expect(exported.body.entries).toEqual([
      expect.objectContaining({
        actor: { type: 'user', id: expect.any(String), name: 'admin@example.com' },
        outcome: 'success',
      }),
    ]);
  });
});
