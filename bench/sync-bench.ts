import { parseArgs } from 'node:util';
import { startSyncHarness, type SyncHarness } from '../dev/cloud-sim/sync-stack';
import type { SyncProviderKind } from '../shared/sync/sync-schemas';
import { createSyncService } from '../shared/sync/sync-service';

/**
 * `npm run bench:sync`: syncs N Key Vault secrets (default 1,000) to each secret provider — AWS Secrets Manager,
 * SSM Parameter Store, GCP Secret Manager and another Key Vault — with the real SDK clients against the local
 * simulators, through the planner and the worker (queue in process). For each provider it prints objects per
 * second and requests per object at the target for three runs: the first sync (every object new), a run with no
 * source change (target: zero requests), and a run after 10% of the sources changed (target: one write each).
 */
const { values } = parseArgs({
  options: { objects: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' } },
});
const N = Number(values.objects);
const CONCURRENCY = Number(values.concurrency);
const providers: SyncProviderKind[] = ['awsSecretsManager', 'awsParameterStore', 'gcpSecretManager', 'keyVault'];

interface Counted {
  readonly requests: number;
  readonly writes: number;
}

function targetRequests(h: SyncHarness, provider: SyncProviderKind): Counted {
  if (provider === 'keyVault') {
    const log = h.azure.requestLog().filter((r) => r.vault === 'kv-sync-dst');
    return { requests: log.length, writes: log.filter((r) => r.method !== 'GET').length };
  }
  const log = provider.startsWith('aws') ? h.aws.requestLog() : h.gcp.requestLog();
  const service = { awsSecretsManager: 'secretsmanager', awsParameterStore: 'ssm', gcpSecretManager: 'secretmanager' }[
    provider as 'awsSecretsManager'
  ];
  const mine = log.filter((e) => e.service === service);
  return { requests: mine.length, writes: mine.filter((e) => e.write).length };
}

const sourceRequests = (h: SyncHarness): number => h.azure.requestLog().filter((r) => r.vault === 'kv-sync-src').length;

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const h = await startSyncHarness({ SYNC_RETRIES_PER_MINUTE: '100000' });
  const service = createSyncService(h.deps);
  const admin = { type: 'system' as const, id: 'system' as const, name: 'bench' };
  try {
    const names = Array.from({ length: N }, (_, i) => `b-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < N; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name, j) => h.source.setSecret(name, `bench-value-${i + j}-1`)));
    }
    console.log(`sync bench: ${N} secrets per provider, ${CONCURRENCY} workers (real SDKs → local simulators)\n`);
    // Key Vault 429s: the Azure simulator enforces Key Vault's documented 4,000 requests per 10 s per vault, which
    // bounds how fast the source can be read (every push reads its source version once).
    // Source requests/object: reads of the source vault (one per push; a 401 challenge before a read would show
    // here). CPU ms/object: this process's CPU (the SDKs and the in-process simulators) per object.
    console.log(
      'provider             run         objects/s  target requests/object  target writes/object  Key Vault 429s  source requests/object  CPU ms/object',
    );
    for (const provider of providers) {
      const config = await service.create(admin, {
        name: provider,
        provider,
        enabled: true,
        connection: provider.startsWith('aws')
          ? { aws: { region: 'us-east-1', accessKeyId: 'AKIABENCH0000001' } }
          : provider.startsWith('gcp')
            ? { gcp: { projectId: 'bench-project', location: 'global' } }
            : { keyVault: { vaultUri: h.vaultUris['kv-sync-dst'] ?? '' } },
        ...(provider.startsWith('aws') ? { credentials: { awsSecretAccessKey: 'bench-secret-access-key-0001' } } : {}),
        ...(provider.startsWith('gcp') ? { credentials: { gcpServiceAccountKey: h.gcpKey } } : {}),
        rules: [
          {
            sourceVaults: ['kv-sync-src'],
            namePattern: 'b-*',
            tags: {},
            kinds: ['secret'],
            nameTemplate: `bench-${providers.indexOf(provider)}/{name}`,
            gcpReplicationLocations: [],
            deleteBehaviour: 'keep',
            recoveryWindowDays: 30,
          },
        ],
      });
      const run = async (label: string, objects: number) => {
        const before = targetRequests(h, provider);
        const throttledBefore = h.azure.counters().total.throttled;
        const sourceBefore = sourceRequests(h);
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        await service.syncConfig(config.id);
        await h.drain(CONCURRENCY);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const after = targetRequests(h, provider);
        const throttled = h.azure.counters().total.throttled - throttledBefore;
        const used = process.cpuUsage(cpu);
        const per = (n: number) => (objects ? (n / objects).toFixed(2) : '0.00');
        console.log(
          `${provider.padEnd(20)} ${label.padEnd(11)} ${(objects / seconds).toFixed(0).padStart(9)}  ${per(after.requests - before.requests).padStart(22)}  ${per(after.writes - before.writes).padStart(20)}  ${String(throttled).padStart(13)}  ${per(sourceRequests(h) - sourceBefore).padStart(22)}  ${per((used.user + used.system) / 1000).padStart(13)}`,
        );
      };
      await run('first', N);
      // A second past the sources' whole-second stamps, so the planner can prove them unchanged without a read.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await run('unchanged', N);
      const changed = names.filter((_, i) => i % 10 === 0);
      await Promise.all(changed.map((name, i) => h.source.setSecret(name, `bench-value-${i}-2-${provider}`)));
      await run('10% changed', changed.length);
    }
  } finally {
    await h.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
