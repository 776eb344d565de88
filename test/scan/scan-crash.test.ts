import { TableClient } from '@azure/data-tables';
import { startHostProcess, type HostProcess } from '../../dev/host/host-process';
import {
  startWebhookReceiver,
  type ReceivedDelivery,
  type RunningWebhookReceiver,
} from '../../dev/webhook-receiver/webhook-receiver';
import { generateWebhookSecret } from '../../shared/notify/webhook-signature';
import { queues } from '../../shared/config/queues';
import { fixedClock } from '../../shared/time/clock';
import { APP_DIR } from '../support/keyward-stack';
import { expectedScan, loadDemoTenant } from './scan-expected';
import { startScanStack, type ScanStack } from './scan-stack';

/** What one webhook delivery says, without the ids that differ between two scans (scan id, delivery key). */
type DeliverySignature = string;
const signature = (json: unknown): DeliverySignature => {
  const body = json as { type: string; data: { items: { id: string; severity: string; action: string }[] } };
  const items = body.data.items.map((i) => `${i.id}:${i.severity}:${i.action}`).sort();
  return `${body.type} ${items.join(',')}`;
};

/**
 * The compliance evaluation also reacts to `scan.completed` and alerts on its own time, independently of the scan
 * (its lease and alerts have their own tests): the comparison with the clean scan is of the scan's own deliveries.
 */
const COMPLIANCE_ALERT = 'compliance_violation';
const scanOnly = (received: readonly ReceivedDelivery[]): ReceivedDelivery[] =>
  received.filter((d) => (d.json as { type: string }).type !== `keyward.${COMPLIANCE_ALERT}`);

/**
 * Waits until the scan's webhook deliveries are settled: every delivery the history records is `sent` (none
 * sending or retrying) and the receiver has logged at least as many requests. Returns the receiver's log.
 */
async function settledDeliveries(s: ScanStack, receiver: RunningWebhookReceiver) {
  type History = { deliveries: { channel: string; status: string; alertType: string }[] };
  const until = Date.now() + 120_000;
  for (;;) {
    const webhook = (await s.get<History>('/api/alerts/history?channel=webhook&limit=500')).deliveries;
    const settled = webhook.length > 0 && webhook.every((d) => d.status === 'sent');
    if (settled && receiver.deliveries().length >= webhook.length)
      return { history: webhook, received: receiver.deliveries() };
    if (Date.now() > until) throw new Error(`webhook deliveries not settled\n${s.stack.host.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A process crash, not a thrown error: two hosts share storage and the bus (as `bench:scan --instances 2` runs
 * them); one is SIGKILLed while it holds scan units. Its locks are not released by the crash — the broker redelivers
 * those messages once their lock expires (a short lock here, read from the queue list as Service Bus does), and the
 * survivor finishes the scan with exactly the counts of a clean scan, each unit counted once. The scan's
 * notifications go to the local webhook receiver: from the receiver's own log, each delivery (its `webhook-id`, the
 * delivery's dedup key) arrived exactly once, and the deliveries say what a clean scan's deliveries say.
 */
const LOCK_SECONDS = 8;

describe('a host killed in the middle of a scan', () => {
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  let s: ScanStack;
  let second: HostProcess;
  let receiver: RunningWebhookReceiver;
  let clean: DeliverySignature[] = [];
  const secret = generateWebhookSecret();
  const notify = (r: RunningWebhookReceiver) => ({
    NOTIFY_WEBHOOK_URL: `${r.url}/hook`,
    NOTIFY_WEBHOOK_SECRET: secret,
  });
  beforeAll(async () => {
    // The reference: a clean scan of the same tenant at the same instant, and the deliveries it sends.
    const cleanReceiver = await startWebhookReceiver({ secret });
    const reference = await startScanStack({ tenant: 'demo', clock: fixedClock(t0) }, notify(cleanReceiver));
    try {
      const trigger = await reference.post<{ scanId: string }>('/api/trigger');
      await reference.waitForScan(trigger.body.scanId);
      clean = scanOnly((await settledDeliveries(reference, cleanReceiver)).received)
        .map((d) => signature(d.json))
        .sort();
    } finally {
      await reference.stop();
      await cleanReceiver.stop();
    }
    receiver = await startWebhookReceiver({ secret });
    s = await startScanStack(
      {
        tenant: 'demo',
        clock: fixedClock(t0),
        // Slow vault answers, so the victim is mid-unit when it dies.
        knobs: { apis: { keyvault: { latencyMs: 400, jitterMs: 0 } } },
      },
      { SCAN_VAULT_CONCURRENCY: '4', ...notify(receiver) },
      { [queues.scanVault.name]: LOCK_SECONDS, [queues.scanPlan.name]: LOCK_SECONDS },
    );
    second = await startHostProcess({ appDir: APP_DIR, env: s.stack.env, args: ['--no-timers'] });
  });
  afterAll(async () => {
    await second?.stop();
    await s?.stop();
    await receiver?.stop();
  });

  it('is finished by the survivor after lock expiry, with the counts of a clean scan, each unit and delivery once', async () => {
    const trigger = await s.post<{ scanId: string }>('/api/trigger');
    // Kill the second host once it has finished a unit: with 4 units at a time and slow vaults it then holds others
    // (locked to it, half done), and the scan is far from complete.
    const finished = /\[scanUnit [^\]]+\] \(system\) Executed \(Succeeded/;
    const deadline = Date.now() + 120_000;
    while (!finished.test(second.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(second.output()).toMatch(finished);
    process.kill(second.pid, 'SIGKILL');
    await second.exited;
    const atKill = await s.get<{ progress: { vaultsDone: number; vaultsTotal: number } }>(
      `/api/assets/discovery/scans/${trigger.body.scanId}`,
    );
    expect(atKill.progress.vaultsDone).toBeLessThan(atKill.progress.vaultsTotal);

    const scan = await s.waitForScan(trigger.body.scanId, 300_000);
    // Positive evidence that the dead host's units came back by lock expiry (not by a release the crash never sent).
    expect(s.stack.serviceBus.expiredLocks(queues.scanVault.name)).toBeGreaterThan(0);
    const expected = expectedScan(loadDemoTenant(), t0, new Date(scan.completedAt ?? ''));
    expect(scan.counts).toEqual(expected.bySeverity);
    expect(scan.itemsScanned).toBe(expected.items);
    expect(scan.outcomes).toEqual(expected.outcomeCounts);
    // Each unit counted once: as many unit records as planned units, no key twice.
    const keys = scan.units.map((u) => u.unitKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(scan.progress.vaultsDone).toBe(scan.progress.vaultsTotal);
    // Every item stored once.
    const inventory = TableClient.fromConnectionString(s.stack.azurite.connectionString, 'inventory', {
      allowInsecureConnection: true,
    });
    const ids: string[] = [];
    for await (const e of inventory.listEntities()) ids.push(`${e.partitionKey}/${e.rowKey}`);
    expect(ids).toHaveLength(expected.items);
    expect(new Set(ids).size).toBe(ids.length);

    // No delivery sent twice: each webhook-id (the delivery's dedup key) once in the receiver's log, every one
    // signed, and together they say what the clean scan's deliveries said.
    const { history, received } = await settledDeliveries(s, receiver);
    expect(clean.length).toBeGreaterThan(0);
    const webhookIds = received.map((d) => d.headers['webhook-id']);
    expect(webhookIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(webhookIds).size).toBe(webhookIds.length);
    expect(received.map((d) => d.signatureValid)).toEqual(received.map(() => true));
    const scanHistory = history.filter((d) => d.alertType !== COMPLIANCE_ALERT);
    expect(scanOnly(received)).toHaveLength(scanHistory.length);
    expect(
      scanOnly(received)
        .map((d) => signature(d.json))
        .sort(),
    ).toEqual(clean);
  });
});
