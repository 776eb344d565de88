import { TableClient } from '@azure/data-tables';
import { parseArgs } from 'node:util';
import { activeRules, customRule, evaluateRules } from '../shared/compliance/compliance-engine';
import { buildComplianceInventory } from '../shared/compliance/compliance-inventory';
import {
  COMPLIANCE_RULES_TABLE,
  COMPLIANCE_STATE_TABLE,
  COMPLIANCE_VIOLATIONS_TABLE,
  createComplianceStore,
} from '../shared/compliance/compliance-store';
import { violationId, type StoredViolation } from '../shared/compliance/compliance-violations';
import { vaultPartition, type InventoryItem } from '../shared/inventory/inventory-item';
import type { VaultRow } from '../shared/scan/estate-store';
import { measure, startBenchStack } from './bench-stack';
import { inventoryItem } from '../dev/fixtures/inventory-fixture';

/**
 * `npm run bench:compliance`: (1) the evaluation itself — facts built from N stored items and every built-in rule
 * plus one custom CEL rule run over them, in this process; (2) p50/p99 of the compliance read endpoints through the
 * local host with the results of N items stored (a quarter failing), at 1k and 100k: the reads are a summary row
 * and one page of a Table query, so their time should not grow with N.
 */
const DAY = 86_400_000;
const PER_VAULT = 100;
const severities = ['critical', 'high', 'medium', 'low'] as const;

function item(n: number, now: number): InventoryItem {
  const vault = Math.floor(n / PER_VAULT);
  const partition = vaultPartition(`sub-${vault % 10}`, `kv-${vault}`);
  const row = `secret_s-${n % PER_VAULT}`;
  return inventoryItem(partition, row, {
    expiresOn: n % 5 === 0 ? null : new Date(now + (((n * 7919) % 400) - 60) * DAY).toISOString(),
    createdOn: new Date(now - ((n * 31) % 500) * DAY).toISOString(),
    vaultTags: { env: vault % 2 ? 'prod' : 'dev' },
    subscriptionName: `Subscription ${vault % 10}`,
    lastSeenScanId: 'bench',
  });
}

function evaluationFigures(size: number): void {
  const now = Date.now();
  const items = Array.from({ length: size }, (_, n) => item(n, now));
  const vaults: VaultRow[] = Array.from({ length: size / PER_VAULT }, (_, v) => ({
    subscriptionId: `sub-${v % 10}`,
    subscriptionName: `Subscription ${v % 10}`,
    vaultName: `kv-${v}`,
    vaultId: '',
    vaultUri: '',
    resourceGroup: 'rg',
    location: 'westeurope',
    tags: {},
    rbac: v % 3 !== 0,
    networkRestricted: false,
    lastOutcome: 'ok',
    lastScanId: 'bench',
    lastScannedAt: null,
    lastOkAt: null,
    deniedKinds: [],
    errorCode: null,
    itemCount: PER_VAULT,
    itemsLeftOut: 0,
    bySeverity: {},
  }));
  const t0 = performance.now();
  const inventory = buildComplianceInventory({
    subscriptions: [],
    vaults,
    posture: new Map(),
    items,
    unreachablePartitions: [],
    now: new Date(now),
  });
  const t1 = performance.now();
  const rules = [
    ...activeRules(new Map(), []),
    customRule({
      id: 'CUSTOM-000000000001',
      title: 'prod secrets expire within a year',
      severity: 'high',
      scope: 'secret',
      condition: '!(secret.vaultTags["env"] == "prod") || (secret.hasExpiry && secret.daysToExpiry <= 365)',
    }),
  ];
  const { results, runs } = evaluateRules(inventory, rules, {
    budgetMs: 60_000,
    nowMs: () => performance.now(),
    keep: new Set(['failed', 'notEvaluated']),
  });
  const t2 = performance.now();
  const custom = runs.at(-1);
  console.log(
    `  evaluation of ${size} items: facts ${(t1 - t0).toFixed(0)} ms, ${rules.length} rules ${(t2 - t1).toFixed(0)} ms ` +
      `(custom CEL rule ${custom?.elapsedMs.toFixed(0) ?? '-'} ms), ${results.length} failed/unknown results`,
  );
}

/** Stores the violations of items [from, to) beside those of earlier sizes (`all`), and the first pages of all. */
async function seedResults(connectionString: string, from: number, to: number, all: StoredViolation[]): Promise<void> {
  const table = (name: string) => async () => {
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    await client.createTable().catch(() => undefined);
    return client;
  };
  const store = createComplianceStore({
    rules: table(COMPLIANCE_RULES_TABLE),
    violations: table(COMPLIANCE_VIOLATIONS_TABLE),
    state: table(COMPLIANCE_STATE_TABLE),
  });
  const at = new Date().toISOString();
  const violations: StoredViolation[] = [];
  for (let n = from; n < to; n += 4) {
    const ruleId = `KW-KV-00${1 + (n % 7)}`;
    const key = `sub-${n % 10}_kv-${Math.floor(n / PER_VAULT)}~secret_s-${n % PER_VAULT}`;
    violations.push({
      id: violationId(ruleId, key),
      ruleId,
      ruleTitle: 'bench',
      severity: severities[n % 4] ?? 'low',
      resource: {
        scope: 'secret',
        key,
        name: `s-${n % PER_VAULT}`,
        vaultName: `kv-${Math.floor(n / PER_VAULT)}`,
        subscriptionId: `sub-${n % 10}`,
      },
      status: 'open',
      firstSeen: at,
      lastSeen: at,
      resolvedAt: null,
      evidence: { daysToExpiry: -1 },
      waiver: null,
    });
  }
  await store.putViolations(violations);
  all.push(...violations);
  await store.putFirstPages(all);
  const tallies = Array.from({ length: 7 }, (_, i) => ({
    ruleId: `KW-KV-00${i + 1}`,
    passed: Math.round((to * 3) / 28),
    failed: Math.round(to / 28),
    waived: 0,
    notEvaluated: 0,
    budgetExceeded: false,
  }));
  const rules = Object.fromEntries(tallies.map((t) => [t.ruleId, { severity: 'high' as const, title: 'bench' }]));
  await store.putSummary(
    { scanId: `bench-${to}`, completedAt: at, evaluatedAt: at, tallies, rules },
    { scanId: `bench-${to}`, at, score: 75 },
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: '1000,100000' }, requests: { type: 'string', default: '200' } },
  });
  const sizes = values.sizes
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const requests = Number(values.requests);
  console.log(`bench:compliance  sizes ${sizes.join(', ')} items, ${requests} sequential requests per endpoint`);
  for (const size of sizes) evaluationFigures(size);
  const paths = [
    '/api/compliance/score',
    '/api/compliance/violations',
    '/api/compliance/violations?severity=critical&pageSize=50',
    '/api/compliance/violations?rule=KW-KV-001&pageSize=50',
    '/api/compliance/frameworks/cis-azure-6.0',
  ];
  const stack = await startBenchStack({});
  const results: Record<string, { p50: number; p99: number }> = {};
  try {
    let stored = 0;
    const all: StoredViolation[] = [];
    for (const size of sizes) {
      const t0 = performance.now();
      await seedResults(stack.azurite.connectionString, stored, size, all);
      stored = size;
      console.log(
        `\nresults of ${size} items stored (${size / 4} violations) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      for (const path of paths) {
        const r = await measure(stack, path, requests);
        results[`${path}@${size}`] = r;
        console.log(`  ${path.padEnd(58)} p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`);
      }
    }
    const [small, large] = [sizes[0], sizes[sizes.length - 1]];
    if (small !== large) {
      for (const path of paths) {
        const a = results[`${path}@${small}`];
        const b = results[`${path}@${large}`];
        if (a && b) console.log(`${path}: p50 at ${large} ÷ p50 at ${small} = ${(b.p50 / a.p50).toFixed(2)}`);
      }
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
