import type { StorageClients } from '../../shared/runtime/storage-clients';
import { createEstateStore, SUBSCRIPTIONS_TABLE, VAULTS_TABLE } from '../../shared/scan/estate-store';

/** A vault posture that passes every vault rule: a test changes one field to fail one rule. */
export const COMPLIANT_POSTURE = {
  sku: 'standard',
  softDeleteEnabled: true,
  softDeleteRetentionDays: 90,
  purgeProtectionEnabled: true,
  rbacAuthorization: true,
  publicNetworkAccess: 'Disabled',
  networkDefaultAction: 'Deny',
  trustedServicesBypass: true,
  privateEndpointCount: 1,
};

/** One vault in the estate, last read in full (as a scan records it), for evaluations run straight on storage. */
export async function seedReadableVault(storage: StorageClients, vaultName: string): Promise<void> {
  const table = (name: string) => () => storage.table(name);
  const estate = createEstateStore(table(SUBSCRIPTIONS_TABLE), table(VAULTS_TABLE));
  await estate.putVaults([
    {
      subscriptionId: 'sub-1',
      subscriptionName: 'Sub 1',
      vaultName,
      vaultId: '',
      vaultUri: '',
      resourceGroup: 'rg',
      location: 'westeurope',
      tags: {},
      rbac: true,
      networkRestricted: false,
    },
  ]);
  await estate.updateVault('sub-1', vaultName, { lastOutcome: 'ok' });
}
