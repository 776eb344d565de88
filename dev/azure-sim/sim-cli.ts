import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAzureSim } from './azure-sim';
import { tenantFromArgument } from './tenant-load';

/**
 * `npm run sim -- --tenant demo|large|<file> [--port N] [--seed N --subscriptions N --vaults-per-subscription N
 * --items-per-vault N]`: runs the simulator alone and writes its endpoints to `.local/azure-sim.json`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string', default: 'demo' },
      port: { type: 'string', default: '0' },
      seed: { type: 'string' },
      subscriptions: { type: 'string' },
      'vaults-per-subscription': { type: 'string' },
      'items-per-vault': { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const large = {
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.subscriptions ? { subscriptions: num(values.subscriptions) } : {}),
    ...(values['vaults-per-subscription'] ? { vaultsPerSubscription: num(values['vaults-per-subscription']) } : {}),
    ...(values['items-per-vault'] ? { itemsPerVault: num(values['items-per-vault']) } : {}),
  };
  const sim = await startAzureSim({ tenant: tenantFromArgument(values.tenant), port: Number(values.port), large });
  const file = join(process.cwd(), '.local', 'azure-sim.json');
  mkdirSync(join(process.cwd(), '.local'), { recursive: true });
  const endpoints = {
    armEndpoint: sim.armEndpoint,
    graphEndpoint: sim.graphEndpoint,
    identityEndpoint: sim.identityEndpoint,
    identityHeader: sim.identityHeader,
    caCertPath: sim.caCertPath,
    tenantId: sim.tenantId,
    env: sim.env(),
  };
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
  console.log(
    `Azure simulator (${values.tenant}) listening at ${sim.url}; endpoints written to ${file}. Ctrl+C stops it.`,
  );
  const stop = (): void => {
    rmSync(file, { force: true });
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Azure simulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
