import { useState } from 'preact/hooks';
import { Link, useParams } from 'wouter-preact';
import type { DiscoveryScanDetail, DiscoveryScans } from '../api-types';
import { formatDate, outcomeSummary, Show } from '../components';
import { useApi } from '../use-api';

const PAGE = 20;

function ScanDetail({ id }: { id: string }) {
  const scan = useApi<DiscoveryScanDetail>(`/api/assets/discovery/scans/${encodeURIComponent(id)}`);
  return (
    <section aria-labelledby="detail-title">
      <h2 id="detail-title">Scan {id}</h2>
      <Show load={scan}>
        {(s) => (
          <>
            <p>
              {s.status} · {s.mode} · by {s.trigger} · started {formatDate(s.startedAt)} · {s.durationSeconds ?? '—'} s
              · {s.itemsScanned} items{s.itemsLeftOut > 0 ? ` (${s.itemsLeftOut} left out by the tier limit)` : ''} ·{' '}
              {s.progress.vaultsDone}/{s.progress.vaultsTotal} vaults done
            </p>
            <table>
              <caption class="sr-only">Per-vault outcomes</caption>
              <thead>
                <tr>
                  <th scope="col">Vault / directory</th>
                  <th scope="col">Subscription</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Items</th>
                  <th scope="col">Removed</th>
                  <th scope="col">Throttled</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {s.units.map((u) => (
                  <tr key={u.unitKey}>
                    <td>{u.kind === 'directory' ? 'App registrations' : (u.vaultName ?? u.unitKey)}</td>
                    <td class="mono">{u.subscriptionId ?? '—'}</td>
                    <td>
                      <span class={`state state-${u.outcome}`}>{u.outcome}</span>
                      {u.deniedKinds.length > 0 ? ` (${u.deniedKinds.join(', ')})` : ''}
                    </td>
                    <td class="num">{u.items}</td>
                    <td class="num">{u.removed}</td>
                    <td class="num">{u.throttledResponses}</td>
                    <td>{u.errorCode ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}

/** Scan history, newest first, with one scan's per-vault outcomes at /scans/:id. */
export function ScansPage() {
  const { id } = useParams<{ id?: string }>();
  const [offset, setOffset] = useState(0);
  const scans = useApi<DiscoveryScans>(`/api/assets/discovery/scans?limit=${PAGE}&offset=${offset}`);
  return (
    <>
      <h1>Scans</h1>
      {id ? <ScanDetail id={id} /> : null}
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <Show load={scans}>
          {(page) =>
            page.scans.length === 0 ? (
              <p>No scans yet.</p>
            ) : (
              <>
                <table>
                  <caption class="sr-only">Scan history</caption>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">Status</th>
                      <th scope="col">Mode</th>
                      <th scope="col">Vaults</th>
                      <th scope="col">Items</th>
                      <th scope="col">Expired / critical / severe / warning</th>
                      <th scope="col">Outcomes</th>
                      <th scope="col">Duration</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.scans.map((s) => (
                      <tr key={s.scanId}>
                        <td>
                          <Link href={`/scans/${encodeURIComponent(s.scanId)}`}>{formatDate(s.startedAt)}</Link>
                        </td>
                        <td>{s.status}</td>
                        <td>{s.mode}</td>
                        <td class="num">{s.vaultsFound}</td>
                        <td class="num">{s.itemsScanned}</td>
                        <td class="num">
                          {s.counts.expired} / {s.counts.critical} / {s.counts.severe} / {s.counts.warning}
                        </td>
                        <td>{outcomeSummary(s.outcomes)}</td>
                        <td class="num">{s.durationSeconds === null ? '—' : `${s.durationSeconds} s`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <nav class="pager" aria-label="Pages">
                  <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                    Newer
                  </button>
                  <span>
                    {offset + 1}–{offset + page.scans.length} of {page.total}
                  </span>
                  <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
                    Older
                  </button>
                </nav>
              </>
            )
          }
        </Show>
      </section>
    </>
  );
}
