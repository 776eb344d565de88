import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../dev/webhook-receiver/webhook-receiver';
import { startScanStack, type ScanStack } from './scan-stack';

/**
 * One correlation id from the trigger to the alert: a demo scan started with `x-correlation-id` carries it on the
 * scan record, on every audit entry and log line the scan caused, on every delivery it planned and on every
 * webhook request it sent.
 */
describe('correlation id of a demo scan', () => {
  const CORRELATION = 'corr-demo-scan-1';
  let s: ScanStack;
  let receiver: RunningWebhookReceiver;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret });
    s = await startScanStack(
      { tenant: 'demo' },
      { NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`, NOTIFY_WEBHOOK_SECRET: secret },
    );
  });
  afterAll(async () => {
    await s?.stop();
    await receiver?.stop();
  });

  it('reaches the scan record, the audit, the host log, the delivery history and the webhook requests', async () => {
    const response = await fetch(`${s.stack.url}/api/trigger`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-correlation-id': CORRELATION },
    });
    expect(response.status).toBe(202);
    const { scanId, correlationId } = (await response.json()) as { scanId: string; correlationId: string };
    expect(correlationId).toBe(CORRELATION);
    await s.waitForScan(scanId);
    const scan = await s.get<{ correlationId: string }>(`/api/assets/discovery/scans/${scanId}`);
    expect(scan.correlationId).toBe(CORRELATION);

    // Deliveries: wait until the webhook worker sent what the scan's evaluation planned (positive evidence).
    type History = { deliveries: { channel: string; status: string; correlationId: string }[] };
    const webhookSent = async () =>
      (await s.get<History>(`/api/alerts/history?channel=webhook&correlation_id=${CORRELATION}`)).deliveries.filter(
        (d) => d.status === 'sent',
      );
    const until = Date.now() + 60_000;
    while ((await webhookSent()).length === 0 || receiver.deliveries().length < (await webhookSent()).length) {
      if (Date.now() > until) throw new Error(`no webhook delivery\n${s.stack.host.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const all = (await s.get<History>('/api/alerts/history?limit=500')).deliveries;
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((d) => d.correlationId)).toEqual(all.map(() => CORRELATION));
    expect(receiver.deliveries().length).toBeGreaterThan(0);
    expect(receiver.deliveries().map((d) => d.headers['x-correlation-id'])).toEqual(
      receiver.deliveries().map(() => CORRELATION),
    );

    // Audit: the scan's own entries, each unreadable vault and each delivery sent, all under the trigger's id.
    // The worker audits a delivery after it records it sent, so the entry is awaited like the delivery was.
    type Audit = { entries: { action: string; correlationId: string }[] };
    const auditOf = async () => (await s.get<Audit>(`/api/audit?correlationId=${CORRELATION}&limit=200`)).entries;
    let audit = await auditOf();
    while (!audit.some((e) => e.action === 'notification.sent')) {
      if (Date.now() > until) throw new Error(`no notification.sent audit entry\n${JSON.stringify(audit)}`);
      await new Promise((r) => setTimeout(r, 250));
      audit = await auditOf();
    }
    const actions = new Set(audit.map((e) => e.action));
    for (const action of ['discovery.scan.started', 'discovery.scan.completed', 'discovery.vault.error']) {
      expect(actions).toContain(action);
    }
    expect(actions).toContain('notification.sent');
    const scanEntries = (await s.get<Audit>('/api/audit?action=discovery&limit=200')).entries;
    expect(scanEntries.length).toBeGreaterThan(0);
    expect(scanEntries.map((e) => e.correlationId)).toEqual(scanEntries.map(() => CORRELATION));

    // Host log: every app line about this scan carries the id (lines the host writes itself are the platform's).
    const lines = s.stack.host
      .output()
      .split('\n')
      .filter((line) => line.includes(scanId));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((line) => !line.includes(`[correlation ${CORRELATION}]`))).toEqual([]);
  });
});
