import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createAppAuditService } from '../../shared/audit/audit-runtime';
import type { AuditService } from '../../shared/audit/audit-service';
import { evaluateScan } from '../../shared/compliance/compliance-evaluator';
import { createComplianceServices, type ComplianceServices } from '../../shared/compliance/compliance-runtime';
import { localSettingValues } from '../../shared/config/app-settings';
import type { EventEnvelope } from '../../shared/events/event-envelope';
import type { AlertRaised } from '../../shared/events/event-catalog';
import { createEventPublisher } from '../../shared/events/event-publisher';
import { vaultPartition, type InventoryItem } from '../../shared/inventory/inventory-item';
import { createInventoryStore, INVENTORY_TABLE } from '../../shared/inventory/inventory-store';
import { createStorageClients } from '../../shared/runtime/storage-clients';
import { createPostureStore, POSTURE_TABLE } from '../../shared/scan/posture-store';
import { fixedClock } from '../../shared/time/clock';
import { inventoryItem } from '../../dev/fixtures/inventory-fixture';
import { COMPLIANT_POSTURE, seedReadableVault } from './compliance-seed';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (day: number): string => new Date(T0 + day * DAY).toISOString();
const PARTITION = vaultPartition('sub-1', 'kv-alerts');

function secret(expiresOn: string): InventoryItem {
  return inventoryItem(PARTITION, 'secret_db', {
    expiresOn,
    createdOn: at(-10),
    updatedOn: at(-10),
    subscriptionName: 'Sub 1',
  });
}

/**
 * The evaluator against real storage (Azurite) and the real composition (compliance-runtime). Only the Service Bus
 * send is captured instead of sent: the topic's own duplicate detection (by event id) is the emulator's, exercised by
 * the scan-driven tests; here the published ids and bodies (parsed by the event catalogue's schema) are what counts.
 */
describe('compliance alerts across scans', () => {
  let azurite: RunningAzurite;
  let services: ComplianceServices;
  let audit: AuditService;
  const clock = fixedClock(new Date(T0));
  const published: EventEnvelope<AlertRaised>[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    azurite = await startAzurite();
    env = {
      ...localSettingValues(),
      AzureWebJobsStorage: azurite.connectionString,
      // Alerts append to the audit chain but sign nothing: the signing key is named and never used here.
      AUDIT_SIGNING_KEY_ID: 'https://kv-unused.vault.azure.net/keys/audit-signing',
    };
    const storage = createStorageClients(env);
    const auditService = () => createAppAuditService({ env, clock, storage: () => storage });
    audit = await auditService();
    const publish = createEventPublisher({
      clock,
      send: (_topic, messages) => {
        for (const m of messages) published.push(m.body as EventEnvelope<AlertRaised>);
        return Promise.resolve();
      },
    });
    services = createComplianceServices({
      env,
      clock,
      storage: () => storage,
      publish,
      audit,
      auditService: () => Promise.resolve(audit),
    });
    // A vault that passes every vault rule; each scan toggles purge protection (KW-KV-009, high).
    await seedReadableVault(storage, 'kv-alerts');
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  async function scanOn(day: number, purgeProtection: boolean, expiresOn = at(100)): Promise<string[]> {
    const storage = createStorageClients(env);
    await createInventoryStore(() => storage.table(INVENTORY_TABLE)).replacePartition(PARTITION, [secret(expiresOn)]);
    await createPostureStore(() => storage.table(POSTURE_TABLE)).putVaults([
      { partition: PARTITION, posture: { ...COMPLIANT_POSTURE, purgeProtectionEnabled: purgeProtection } },
    ]);
    clock.set(new Date(T0 + day * DAY));
    const before = published.length;
    const event = {
      scanId: `scan-${day}`,
      completedAt: at(day),
      durationSeconds: 1,
      vaults: 1,
      totalItems: 1,
      itemsLeftOut: 0,
      bySeverity: { healthy: 0, warning: 0, severe: 0, critical: 0, expired: 1, noExpiry: 0 },
      outcomes: { ok: 1 },
      unreachablePartitions: [],
    };
    await evaluateScan(services.deps, event);
    return published
      .slice(before)
      .filter((e) => e.data.facts.rule === 'KW-KV-009')
      .map((e) => `${String(e.data.facts.status)}:${e.id}`);
  }

  it('a new high violation alerts once; a waiver silences it until it expires; resolving alerts as resolved', async () => {
    const opened = await scanOn(1, false);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^open:compliance:[0-9a-f]{32}:opened:/);
    expect(published.at(-1)?.data).toMatchObject({
      alertType: 'compliance_violation',
      severity: 'severe',
      subscriptionId: 'sub-1',
    });
    // The same scan evaluated again (a redelivery after it finished) raises nothing: the violation is already open.
    // (A crash between publishing and writing re-raises the same event id, which the topic drops.)
    await expect(scanOn(1, false)).resolves.toEqual([]);
    await expect(scanOn(2, false)).resolves.toEqual([]);

    const { violations } = await services.service.listViolations({ status: 'open', pageSize: 50, rule: 'KW-KV-009' });
    const id = violations[0]?.id ?? '';
    await services.service.waive(
      id,
      { reason: 'rotating next week', expiresAt: at(5) },
      { type: 'user', id: 'u1', name: 'Ada' },
    );
    await expect(scanOn(3, false)).resolves.toEqual([]);
    await expect(scanOn(4, false)).resolves.toEqual([]);
    const reopened = await scanOn(6, false);
    expect(reopened).toEqual([`open:compliance:${id}:reopened:${at(5)}`]);
    await expect(scanOn(7, false)).resolves.toEqual([]);

    const resolved = await scanOn(8, true);
    expect(resolved).toEqual([`resolved:compliance:${id}:resolved:${at(1)}`]);
    expect(published.at(-1)?.data.severity).toBe('info');
    await expect(scanOn(9, true)).resolves.toEqual([]);

    // An expired secret is a violation (KW-KV-006, critical) but the scan's reminders alert on it, not compliance.
    const before = published.length;
    await scanOn(10, true, at(-1));
    expect(published.slice(before).map((e) => e.data.facts.rule)).toEqual([]);
    const expired = await services.service.listViolations({ status: 'open', pageSize: 50, rule: 'KW-KV-006' });
    expect(expired.violations).toHaveLength(1);

    // The waiver was audited (before it applied) with its reason and expiry.
    const entries = await audit.list({ action: 'compliance.violation.waived' });
    expect(entries.entries[0]).toMatchObject({
      target: `compliance/violation/${id}`,
      details: { reason: 'rotating next week', expiresAt: at(5) },
    });
  });
});
