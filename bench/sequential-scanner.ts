import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ManagedIdentityCredential } from '@azure/identity';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { simArmOptions, simKeyVaultOptions, useSimIdentityEnv } from '../dev/azure-sim/azure-sim-clients';
import type { RunningAzureSim } from '../dev/azure-sim/azure-sim';

/**
 * The baseline: how single-invocation scanners (VaultGuard360's one function, the open-source walkers) work — one
 * loop over subscriptions, vaults, then secrets, certificates and keys, one request at a time, same SDKs. With
 * `details` it also reads what Keyward's scan reads on a first scan (each certificate for issuer and subject, each
 * key for type and size), so both sides do the same work and the ratio compares ways of working, not workloads.
 */
export async function sequentialScan(
  sim: RunningAzureSim,
  details: boolean,
): Promise<{ seconds: number; requests: number; items: number }> {
  const restore = useSimIdentityEnv(sim);
  const before = sim.requestLog().length;
  const started = Date.now();
  let items = 0;
  try {
    const credential = new ManagedIdentityCredential();
    const subscriptions = new SubscriptionClient(credential, simArmOptions(sim));
    for await (const sub of subscriptions.subscriptions.list()) {
      const arm = new KeyVaultManagementClient(credential, sub.subscriptionId ?? '', simArmOptions(sim));
      for await (const vault of arm.vaults.listBySubscription()) {
        const uri = vault.properties.vaultUri ?? '';
        const options = simKeyVaultOptions(sim);
        try {
          for await (const s of new SecretClient(uri, credential, options).listPropertiesOfSecrets())
            items += s.managed ? 0 : 1;
          const certificates = new CertificateClient(uri, credential, options);
          for await (const c of certificates.listPropertiesOfCertificates()) {
            items += 1;
            if (details && c.name) await certificates.getCertificate(c.name);
          }
          const keys = new KeyClient(uri, credential, options);
          for await (const k of keys.listPropertiesOfKeys()) {
            if (k.managed) continue;
            items += 1;
            if (details) await keys.getKey(k.name);
          }
        } catch {
          // A vault without access or behind its firewall is skipped, as those scanners log and move on.
        }
      }
    }
  } finally {
    restore();
  }
  return { seconds: (Date.now() - started) / 1000, requests: sim.requestLog().length - before, items };
}
