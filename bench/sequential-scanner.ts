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
 * loop over subscriptions, vaults, then secrets, certificates and keys, one request at a time, same SDKs.
 */
export async function sequentialScan(
  sim: RunningAzureSim,
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
          for await (const c of new CertificateClient(uri, credential, options).listPropertiesOfCertificates())
            items += c ? 1 : 0;
          for await (const k of new KeyClient(uri, credential, options).listPropertiesOfKeys())
            items += k.managed ? 0 : 1;
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
