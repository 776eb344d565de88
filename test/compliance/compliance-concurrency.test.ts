import { TableClient } from '@azure/data-tables';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createAppAuditService } from '../../shared/audit/audit-runtime';
import type { ComplianceDeps } from '../../shared/compliance/compliance-deps';
import { evaluateScan } from '../../shared/compliance/compliance-evaluator';
import {
  ComplianceBusyError,
  ComplianceLeaseLostError,
  createEvaluationLeases,
} from '../../shared/compliance/compliance-lease';
import { ComplianceConflictError } from '../../shared/compliance/compliance-errors';
import { createComplianceServices } from '../../shared/compliance/compliance-runtime';
import { createComplianceService } from '../../shared/compliance/compliance-service';
import { COMPLIANCE_STATE_TABLE, COMPLIANCE_VIOLATIONS_TABLE } from '../../shared/compliance/compliance-store';
import { localSettingValues } from '../../shared/config/app-settings';
import type { ScanCompleted } from '../../shared/events/event-catalog';
import { vaultPartition, type InventoryItem } from '../../shared/inventory/inventory-item';
import { createInventoryStore, INVENTORY_TABLE } from '../../shared/inventory/inventory-store';
import { createStorageClients, type StorageClients } from '../../shared/runtime/storage-clients';
import { createPostureStore, POSTURE_TABLE } from '../../shared/scan/posture-store';
import { fixedClock } from '../../shared/time/clock';
import { inventoryItem } from '../../dev/fixtures/inventory-fixture';
import { COMPLIANT_POSTURE, seedReadableVault } from './compliance-seed';

const DAY = 86_400_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');
const at = (day: number): string => new Date(T0 + day * DAY).toISOString();
const PARTITION = vaultPartition('sub-1', 'kv-race');

function secret(name: string, expiresOn: string | null): InventoryItem {
  return inventoryItem(PARTITION, `secret_${name}`, {
    expiresOn,
    createdOn: at(-10),
    updatedOn: at(-10),
    subscriptionName: 'Sub 1',
  });
}

const scan = (day: number): ScanCompleted => ({
  scanId: `scan-${day}`,
  completedAt: at(day),
  durationSeconds: 1,
  vaults: 1,
  totalItems: 40,
  itemsLeftOut: 0,
  bySeverity: { healthy: 0, warning: 0, severe: 0, critical: 0, expired: 0, noExpiry: 40 },
  outcomes: { ok: 1 },
  unreachablePartitions: [],
});

/**
 * Two evaluator instances (each its own composition, as two Functions instances would build) on one Azurite:
 * evaluations of the same tenant must leave the state a serial run leaves. Instance A evaluates an older scan and
 * is held just before its writes until instance B has finished or 1.5 s passed; without the lease B finishes first
 * and A then writes the older scan's violations and summary over B's.
 */
describe('concurrent compliance evaluations of one tenant', () => {
  let azurite: RunningAzurite;
  let env: NodeJS.ProcessEnv;
  let storage: StorageClients;
  const clock = fixedClock(new Date(T0 + 3 * DAY));

  beforeAll(async () => {
    azurite = await startAzurite();
    env = {
      ...localSettingValues(),
      AzureWebJobsStorage: azurite.connectionString,
      AUDIT_SIGNING_KEY_ID: 'https://kv-unused.vault.azure.net/keys/audit-signing',
    };
    storage = createStorageClients(env);
    const table = (name: string) => () => storage.table(name);
    await seedReadableVault(storage, 'kv-race');
    // Forty secrets without an expiry (KW-KV-001 fails each) in a vault without purge protection (KW-KV-009).
    await createInventoryStore(table(INVENTORY_TABLE)).replacePartition(
      PARTITION,
      Array.from({ length: 40 }, (_, i) => secret(`s${i}`, null)),
    );
    await createPostureStore(table(POSTURE_TABLE)).putVaults([
      {
        partition: PARTITION,
        posture: { ...COMPLIANT_POSTURE, purgeProtectionEnabled: false },
      },
    ]);
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  /** One evaluator instance: its own storage clients, services and lease poller. */
  function instance(): ComplianceDeps {
    const own = createStorageClients(env);
    const { deps } = createComplianceServices({
      env,
      clock,
      storage: () => own,
      publish: () => Promise.resolve(),
      audit: { append: () => Promise.resolve() } as never,
      auditService: () => createAppAuditService({ env, clock, storage: () => own }),
    });
    return {
      ...deps,
      leases: createEvaluationLeases(() => own.table(COMPLIANCE_STATE_TABLE), {
        timing: { ttlMs: 60_000, waitMs: 30_000, pollMs: 100 },
      }),
    };
  }

  /** Every compliance row (violations, summary, trend, lease), without the storage's own ETag and timestamp. */
  async function snapshot(): Promise<unknown[]> {
    const rows: unknown[] = [];
    for (const name of [COMPLIANCE_VIOLATIONS_TABLE, COMPLIANCE_STATE_TABLE]) {
      const client = TableClient.fromConnectionString(azurite.connectionString, name, {
        allowInsecureConnection: true,
      });
      for await (const e of client.listEntities()) {
        const { etag: _etag, timestamp: _timestamp, ...rest } = e as Record<string, unknown>;
        rows.push({ table: name, ...rest });
      }
    }
    return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  async function clear(): Promise<void> {
    for (const name of [COMPLIANCE_VIOLATIONS_TABLE, COMPLIANCE_STATE_TABLE]) {
      const client = TableClient.fromConnectionString(azurite.connectionString, name, {
        allowInsecureConnection: true,
      });
      await client.createTable();
      for await (const e of client.listEntities()) await client.deleteEntity(e.partitionKey ?? '', e.rowKey ?? '');
    }
  }

  it('two evaluations at once leave exactly the state of one run after the other', async () => {
    const older = scan(1);
    const newer = scan(2);
    let reachedWrites!: () => void;
    const aAtWrites = new Promise<void>((resolve) => (reachedWrites = resolve));
    let bDone!: () => void;
    const bFinished = new Promise<void>((resolve) => (bDone = resolve));

    const a = instance();
    const heldA: ComplianceDeps = {
      ...a,
      store: {
        ...a.store,
        putViolations: async (...args) => {
          reachedWrites();
          await Promise.race([bFinished, new Promise((resolve) => setTimeout(resolve, 1500))]);
          return a.store.putViolations(...args);
        },
      },
    };
    const runA = evaluateScan(heldA, older);
    await aAtWrites;
    const runB = evaluateScan(instance(), newer).finally(() => bDone());
    const [resultA, resultB] = await Promise.all([runA, runB]);
    // B waited for A's lease, then evaluated its newer scan.
    expect({ resultA, resultB }).toEqual({ resultA: { evaluated: true }, resultB: { evaluated: true } });
    const concurrent = await snapshot();
    expect(concurrent.filter((r) => (r as { rowKey?: string }).rowKey === 'evaluation')).toEqual([]);

    // The same two scans evaluated one after the other by one instance.
    await clear();
    const serial = instance();
    await evaluateScan(serial, older);
    await evaluateScan(serial, newer);
    expect(concurrent).toEqual(await snapshot());
    const summary = concurrent.find((r) => (r as { rowKey?: string }).rowKey === 'summary') as { summary: string };
    expect(JSON.parse(summary.summary)).toMatchObject({ scanId: 'scan-2' });
  });

  it('an older scan arriving while a newer one is evaluated waits, then is skipped', async () => {
    await clear();
    const older = scan(4);
    const newer = scan(5);
    let reachedWrites!: () => void;
    const bAtWrites = new Promise<void>((resolve) => (reachedWrites = resolve));
    const b = instance();
    const heldB: ComplianceDeps = {
      ...b,
      store: {
        ...b.store,
        putViolations: async (...args) => {
          reachedWrites();
          await new Promise((resolve) => setTimeout(resolve, 500));
          return b.store.putViolations(...args);
        },
      },
    };
    const runB = evaluateScan(heldB, newer);
    await bAtWrites;
    const resultA = await evaluateScan(instance(), older);
    expect({ resultA, resultB: await runB }).toEqual({ resultA: { evaluated: false }, resultB: { evaluated: true } });
    const concurrent = await snapshot();
    await clear();
    await evaluateScan(instance(), newer);
    expect(concurrent).toEqual(await snapshot());
  });

  it('a waiter gives up (the message is retried); a lapsed lease is taken over and its old holder may not write', async () => {
    await clear();
    let now = T0;
    const timing = { ttlMs: 60_000, waitMs: 300, pollMs: 50 };
    const leases = () =>
      createEvaluationLeases(() => storage.table(COMPLIANCE_STATE_TABLE), {
        timing,
        nowMs: () => now,
        // The waiter's pauses move the test's clock, so its deadline passes without real waiting.
        sleep: (ms) => {
          now += ms;
          return Promise.resolve();
        },
      });
    const first = await leases().acquire('scan-a');
    await expect(leases().acquire('scan-b')).rejects.toBeInstanceOf(ComplianceBusyError);
    await first.assertHeld();
    // The holder stalls past its TTL without renewing (its clock and renewals stopped): the next one takes over.
    now += timing.ttlMs + 1;
    const second = await leases().acquire('scan-b');
    await expect(first.assertHeld()).rejects.toBeInstanceOf(ComplianceLeaseLostError);
    await first.release(); // releases nothing: the lease is the second's
    await second.assertHeld();
    await second.release();
    await expect(
      leases()
        .acquire('scan-c')
        .then((l) => l.release()),
    ).resolves.toBeUndefined();
  });

  it('a waiver made while an evaluation runs answers 409 and changes nothing (the evaluation would overwrite it); after, it holds', async () => {
    await clear();
    const base = instance();
    await evaluateScan(base, scan(7));
    let now = T0;
    const leasesOf = () =>
      createEvaluationLeases(() => storage.table(COMPLIANCE_STATE_TABLE), {
        timing: { ttlMs: 60_000, waitMs: 300, pollMs: 50 },
        nowMs: () => now,
        // The waiter's pauses move the test's clock, so its deadline passes without real waiting.
        sleep: (ms) => {
          now += ms;
          return Promise.resolve();
        },
      });
    const service = createComplianceService({ ...base, leases: leasesOf() });
    const [open] = (await service.listViolations({ status: 'open', pageSize: 1 })).violations;
    if (!open) throw new Error('the evaluation opened no violation');
    const admin = { type: 'user', id: 'admin-1', name: 'Admin' } as const;
    const body = {
      reason: 'accepted until the migration',
      expiresAt: new Date(clock.now().getTime() + 30 * DAY).toISOString(),
    };

    const evaluation = await leasesOf().acquire('scan-8');
    const before = await snapshot();
    await expect(service.waive(open.id, body, admin)).rejects.toBeInstanceOf(ComplianceConflictError);
    expect(await snapshot()).toEqual(before);
    await evaluation.release();

    await expect(service.waive(open.id, body, admin)).resolves.toMatchObject({ id: open.id, status: 'waived' });
    await evaluateScan(base, scan(8));
    const waived = (await service.listViolations({ status: 'waived', pageSize: 50 })).violations;
    expect(waived.map((v) => v.id)).toContain(open.id);
  });
});
