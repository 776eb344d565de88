import type { ScanUnit } from './scan-types';
import { unitOrder } from './unit-order';

const vault = (subscriptionId: string, vaultName: string): ScanUnit => ({
  kind: 'vault',
  scanId: 's',
  unitKey: `${subscriptionId}|${vaultName}`,
  subscriptionId,
  subscriptionName: subscriptionId,
  vaultName,
  vaultId: vaultName,
  vaultUri: `https://${vaultName}.vault.azure.net/`,
  resourceGroup: 'rg',
  vaultTags: {},
  networkRestricted: false,
  neverScanned: false,
});

describe('unitOrder', () => {
  it('deals vaults round-robin over subscriptions, the directory first, every unit once', () => {
    const units: ScanUnit[] = [
      vault('a', 'a1'),
      vault('a', 'a2'),
      vault('a', 'a3'),
      vault('b', 'b1'),
      { kind: 'directory', scanId: 's', unitKey: 'dir', tenantId: 't' },
      vault('c', 'c1'),
      vault('c', 'c2'),
    ];
    expect(unitOrder(units).map((u) => u.unitKey)).toEqual(['dir', 'a|a1', 'b|b1', 'c|c1', 'a|a2', 'c|c2', 'a|a3']);
  });

  it('keeps an empty plan empty', () => {
    expect(unitOrder([])).toEqual([]);
  });
});
