import { useState } from 'preact/hooks';
import { Link, useParams } from 'wouter-preact';
import type { DiscoveryScanDetail, DiscoveryScans } from '../api-types';
import { formatDate, outcomeSummary, Pager, Section, Show, StateBadge } from '../components';
import { DataTable } from '../data-table';
import { useApi } from '../use-api';

const PAGE = 20;

function ScanDetail({ id }: { id: string }) {
  const scan = useApi<DiscoveryScanDetail>(`/api/assets/discovery/scans/${encodeURIComponent(id)}`);
  return (
    <Section id="detail-title" title={`Scan ${id}`}>
      <Show load={scan}>
        {(s) => (
          <>
            <p>
              {s.status} · {s.mode} · by {s.trigger} · started {formatDate(s.startedAt)} · {s.durationSeconds ?? '—'} s
              · {s.itemsScanned} items{s.itemsLeftOut > 0 ? ` (${s.itemsLeftOut} left out by the tier limit)` : ''} ·{' '}
              {s.progress.vaultsDone}/{s.progress.vaultsTotal} vaults done
            </p>
            <DataTable
              caption="Per-vault outcomes"
              rows={s.units}
              rowKey={(u) => u.unitKey}
              columns={[
                {
                  header: 'Vault / directory',
                  cell: (u) => (u.kind === 'directory' ? 'App registrations' : (u.vaultName ?? u.unitKey)),
                },
                { header: 'Subscription', class: 'mono', cell: (u) => u.subscriptionId ?? '—' },
                {
                  header: 'Outcome',
                  cell: (u) => (
                    <>
                      <StateBadge state={u.outcome} />
                      {u.deniedKinds.length > 0 ? ` (${u.deniedKinds.join(', ')})` : ''}
                    </>
                  ),
                },
                { header: 'Items', class: 'num', cell: (u) => u.items },
                { header: 'Removed', class: 'num', cell: (u) => u.removed },
                { header: 'Throttled', class: 'num', cell: (u) => u.throttledResponses },
                { header: 'Error', cell: (u) => u.errorCode ?? '' },
              ]}
            />
          </>
        )}
      </Show>
    </Section>
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
      <Section id="history-title" title="History">
        <Show load={scans}>
          {(page) =>
            page.scans.length === 0 ? (
              <p>No scans yet.</p>
            ) : (
              <>
                <DataTable
                  caption="Scan history"
                  rows={page.scans}
                  rowKey={(s) => s.scanId}
                  columns={[
                    {
                      header: 'Started',
                      cell: (s) => (
                        <Link href={`/scans/${encodeURIComponent(s.scanId)}`}>{formatDate(s.startedAt)}</Link>
                      ),
                    },
                    { header: 'Status', cell: (s) => s.status },
                    { header: 'Mode', cell: (s) => s.mode },
                    { header: 'Vaults', class: 'num', cell: (s) => s.vaultsFound },
                    { header: 'Items', class: 'num', cell: (s) => s.itemsScanned },
                    {
                      header: 'Expired / critical / severe / warning',
                      class: 'num',
                      cell: ({ counts }) =>
                        `${counts.expired} / ${counts.critical} / ${counts.severe} / ${counts.warning}`,
                    },
                    { header: 'Outcomes', cell: (s) => outcomeSummary(s.outcomes) },
                    {
                      header: 'Duration',
                      class: 'num',
                      cell: (s) => (s.durationSeconds === null ? '—' : `${s.durationSeconds} s`),
                    },
                  ]}
                />
                <Pager
                  back="Newer"
                  forward="Older"
                  atStart={offset === 0}
                  atEnd={offset + PAGE >= page.total}
                  onStep={(step) => setOffset(Math.max(0, offset + step * PAGE))}
                >
                  {offset + 1}–{offset + page.scans.length} of {page.total}
                </Pager>
              </>
            )
          }
        </Show>
      </Section>
    </>
  );
}
