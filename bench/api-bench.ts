import { TableClient, type TransactionAction } from '@azure/data-tables';
import { parseArgs } from 'node:util';
import { createExpiryIndex, EXPIRY_INDEX_TABLE } from '../shared/inventory/expiry-index';
import { toItemEntity } from '../shared/inventory/inventory-entity';
import { evaluateInventory } from '../shared/inventory/inventory-evaluation';
import { vaultPartition, type InventoryItem } from '../shared/inventory/inventory-item';
import { createInventoryStore, INVENTORY_TABLE } from '../shared/inventory/inventory-store';
import { createSummaryStore, SUMMARY_TABLE } from '../shared/inventory/inventory-summary';
import { defaultThresholds } from '../shared/inventory/severity';
import { measure, startBenchStack } from './bench-stack';
import { inventoryItem } from '../dev/fixtures/inventory-fixture';

/**
 * `npm run bench:api`: p50/p99 of `/api/stats` and of the first page of `/api/expiring-items` through the local host
 * with 1k and then 100k items stored (seeded straight into Azurite, then evaluated as a scan close does).
 */
const DAY = 86_400_000;
const PER_VAULT = 100;

function item(n: number, now: number): InventoryItem {
  const vault = Math.floor(n / PER_VAULT);
  const partition = vaultPartition(`sub-${vault % 10}`, `kv-${vault}`);
  const row = `secret_s-${n % PER_VAULT}`;
  // Expiries spread from 60 days ago to 340 days ahead: about a quarter of the items are in an expiring severity.
  const expiresOn = new Date(now + (((n * 7919) % 400) - 60) * DAY).toISOString();
  return inventoryItem(partition, row, {
    expiresOn,
    vaultTags: { owner: `team-${vault % 7}` },
    subscriptionName: `Subscription ${vault % 10}`,
    lastSeenScanId: 'bench',
  });
}

async function seed(connectionString: string, from: number, to: number): Promise<void> {
  const client = TableClient.fromConnectionString(connectionString, INVENTORY_TABLE, { allowInsecureConnection: true });
  await client.createTable().catch(() => undefined);
  const now = Date.now();
  for (let start = from; start < to; start += PER_VAULT) {
    const actions: TransactionAction[] = [];
    for (let n = start; n < Math.min(to, start + PER_VAULT); n += 1)
      actions.push(['upsert', toItemEntity(item(n, now)), 'Replace']);
    await client.submitTransaction(actions);
  }
}

async function evaluate(connectionString: string, size: number): Promise<void> {
  const table = (name: string) => async () => {
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    await client.createTable().catch(() => undefined);
    return client;
  };
  const deps = {
    inventory: createInventoryStore(table(INVENTORY_TABLE)),
    index: createExpiryIndex(table(EXPIRY_INDEX_TABLE)),
    summary: createSummaryStore(table(SUMMARY_TABLE)),
  };
  await evaluateInventory(deps, {
    scanId: `bench-${size}`,
    now: new Date(),
    thresholds: defaultThresholds,
    itemLimit: null,
    vaultCount: size / PER_VAULT,
    subscriptionCount: 10,
    partitions: Array.from({ length: size / PER_VAULT }, (_, vault) =>
      vaultPartition(`sub-${vault % 10}`, `kv-${vault}`),
    ),
  });
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
  console.log(`bench:api  sizes ${sizes.join(', ')} items, ${requests} sequential requests per endpoint`);
  const stack = await startBenchStack({});
  const results: Record<string, { p50: number; p99: number }> = {};
  try {
    let stored = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      await seed(stack.azurite.connectionString, stored, size);
      stored = size;
      await evaluate(stack.azurite.connectionString, size);
      console.log(`\n${size} items seeded and evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      for (const path of ['/api/stats', '/api/expiring-items', '/api/expiring-items?severity=critical&limit=50']) {
        const r = await measure(stack, path, requests);
        results[`${path}@${size}`] = r;
        console.log(`  ${path.padEnd(48)} p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`);
      }
    }
    const [small, large] = [sizes[0], sizes[sizes.length - 1]];
    if (small !== large) {
      for (const path of ['/api/stats', '/api/expiring-items']) {
        const a = results[`${path}@${small}`];
        const b = results[`${path}@${large}`];
        if (a && b)
          console.log(`\n${path}: p50 at ${large} ÷ p50 at ${small} = ${(b.p50 / a.p50).toFixed(2)} (target ≤ 1.5)`);
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
