import type { DiscoveryVaults, PermissionStatus } from '../api-types';
import { formatDate, Show } from '../components';
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

/** Subscriptions and vaults with their access state; a vault Keyward cannot read links to where to fix it. */
export function VaultsPage() {
  const permissions = useApi<PermissionStatus>('/api/permission-status');
  const vaults = useApi<DiscoveryVaults>('/api/assets/discovery/vaults');
  return (
    <>
      <h1>Vaults and subscriptions</h1>
      <section aria-labelledby="subs-title">
        <h2 id="subs-title">Subscriptions</h2>
        <Show load={permissions}>
          {(p) => (
            <>
              <p>
                Key Vault access in {p.totalAccessible} of {p.totalSubscriptions} subscriptions.
              </p>
              <table>
                <caption class="sr-only">Subscriptions</caption>
                <thead>
                  <tr>
                    <th scope="col">Subscription</th>
                    <th scope="col">Id</th>
                    <th scope="col">Vaults</th>
                    <th scope="col">Key Vault access</th>
                    <th scope="col">Vaults not fully read</th>
                  </tr>
                </thead>
                <tbody>
                  {p.subscriptions.map((s) => (
                    <tr key={s.subscriptionId}>
                      <td>{s.subscriptionName}</td>
                      <td class="mono">{s.subscriptionId}</td>
                      <td class="num">{s.vaultCount}</td>
                      <td>{s.hasKeyVaultAccess ? 'Yes' : <strong class="bad">No</strong>}</td>
                      <td>{vaultIssues(p.vaults.filter((v) => v.subscriptionId === s.subscriptionId)) || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Show>
      </section>
      <section aria-labelledby="vaults-title">
        <h2 id="vaults-title">Vaults</h2>
        <Show load={vaults}>
          {(v) =>
            v.vaults.length === 0 ? (
              <p>No vaults found yet: run a scan.</p>
            ) : (
              <table>
                <caption class="sr-only">Vaults</caption>
                <thead>
                  <tr>
                    <th scope="col">Vault</th>
                    <th scope="col">Subscription</th>
                    <th scope="col">Location</th>
                    <th scope="col">Items</th>
                    <th scope="col">Access</th>
                    <th scope="col">Last scanned</th>
                  </tr>
                </thead>
                <tbody>
                  {v.vaults.map((vault) => (
                    <tr key={`${vault.subscriptionId}/${vault.vaultName}`}>
                      <td>{vault.vaultName}</td>
                      <td>{vault.subscriptionName}</td>
                      <td>{vault.location}</td>
                      <td class="num">
                        {vault.itemCount}
                        {vault.itemsLeftOut > 0 ? (
                          <>
                            {' '}
                            <span class="bad">+{vault.itemsLeftOut} not monitored (tier limit)</span>
                          </>
                        ) : null}
                      </td>
                      <td>
                        <span class={`state state-${vault.accessState}`}>
                          {stateLabels[vault.accessState] ?? vault.accessState}
                        </span>
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
                      </td>
                      <td>{formatDate(vault.lastScannedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>
    </>
  );
}
