import type { DiscoveryVaults, PermissionStatus } from '../api-types';
import { formatDate, Section, Show, StateBadge } from '../components';
import { DataTable } from '../data-table';
import { useApi } from '../use-api';

const stateLabels: Record<string, string> = {
  ok: 'Accessible',
  forbidden: 'No access (role missing)',
  firewalled: 'Blocked by the vault firewall',
  throttled: 'Throttled, completed',
  failed: 'Failed',
  notScanned: 'Not scanned yet',
};

const issueLabels: Record<string, string> = {
  forbidden: 'role missing',
  firewalled: 'behind a firewall',
  failed: 'failed',
  notScanned: 'not scanned yet',
};

/** "1 role missing, 2 behind a firewall": the vaults of a subscription the last scan could not read in full. */
function vaultIssues(vaults: PermissionStatus['vaults']): string {
  const counts = new Map<string, number>();
  for (const v of vaults) {
    const label = issueLabels[v.accessState];
    if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

/** Where a vault Keyward cannot read in full stands, and the portal link that fixes its access. */
function VaultAccess({ vault }: { vault: DiscoveryVaults['vaults'][number] }) {
  return (
    <>
      <StateBadge state={vault.accessState} label={stateLabels[vault.accessState]} />
      {vault.deniedKinds.length > 0 ? ` (${vault.deniedKinds.join(', ')})` : ''}
      {vault.errorCode ? ` · ${vault.errorCode}` : ''}
      {vault.grantAccessUrl && vault.accessState !== 'ok' ? (
        <>
          {' '}
          ·{' '}
          <a href={vault.grantAccessUrl} target="_blank" rel="noopener noreferrer">
            Fix access{vault.missingRole ? `: grant ${vault.missingRole}` : ''}
            <span class="sr-only"> on {vault.vaultName} (opens the Azure portal)</span>
          </a>
        </>
      ) : null}
    </>
  );
}

/** Subscriptions and vaults with their access state; a vault Keyward cannot read links to where to fix it. */
export function VaultsPage() {
  const permissions = useApi<PermissionStatus>('/api/permission-status');
  const vaults = useApi<DiscoveryVaults>('/api/assets/discovery/vaults');
  return (
    <>
      <h1>Vaults and subscriptions</h1>
      <Section id="subs-title" title="Subscriptions">
        <Show load={permissions}>
          {(p) => (
            <>
              <p>
                Key Vault access in {p.totalAccessible} of {p.totalSubscriptions} subscriptions.
              </p>
              <DataTable
                caption="Subscriptions"
                rows={p.subscriptions}
                rowKey={(s) => s.subscriptionId}
                columns={[
                  { header: 'Subscription', cell: (s) => s.subscriptionName },
                  { header: 'Id', class: 'mono', cell: (s) => s.subscriptionId },
                  { header: 'Vaults', class: 'num', cell: (s) => s.vaultCount },
                  {
                    header: 'Key Vault access',
                    cell: (s) => (s.hasKeyVaultAccess ? 'Yes' : <strong class="bad">No</strong>),
                  },
                  {
                    header: 'Vaults not fully read',
                    cell: (s) => vaultIssues(p.vaults.filter((v) => v.subscriptionId === s.subscriptionId)) || '—',
                  },
                ]}
              />
            </>
          )}
        </Show>
      </Section>
      <Section id="vaults-title" title="Vaults">
        <Show load={vaults}>
          {(v) => (
            <DataTable
              caption="Vaults"
              empty="No vaults found yet: run a scan."
              rows={v.vaults}
              rowKey={(vault) => `${vault.subscriptionId}/${vault.vaultName}`}
              columns={[
                { header: 'Vault', cell: (vault) => vault.vaultName },
                { header: 'Subscription', cell: (vault) => vault.subscriptionName },
                { header: 'Location', cell: (vault) => vault.location },
                {
                  header: 'Items',
                  class: 'num',
                  cell: (vault) => (
                    <>
                      {vault.itemCount}
                      {vault.itemsLeftOut > 0 ? (
                        <>
                          {' '}
                          <span class="bad">+{vault.itemsLeftOut} not monitored (tier limit)</span>
                        </>
                      ) : null}
                    </>
                  ),
                },
                { header: 'Access', cell: (vault) => <VaultAccess vault={vault} /> },
                { header: 'Last scanned', cell: (vault) => formatDate(vault.lastScannedAt) },
              ]}
            />
          )}
        </Show>
      </Section>
    </>
  );
}
