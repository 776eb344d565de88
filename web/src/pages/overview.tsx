import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { messageOf, query } from '../api';
import type { AssetsPage, DiscoveryScans, ExpiringItemsPage, Severity, Stats } from '../api-types';
import { ErrorMessage, formatDate, outcomeSummary, severityLabels, Show } from '../components';
import { countPerDay, ExpiryTimeline } from '../expiry-timeline';
import { readPages } from '../paged';
import { ScanRunner } from '../scan-runner';
import { useSession } from '../session';
import { ItemsTable } from './items-table';
import { useApi } from '../use-api';

const cards: readonly Severity[] = ['warning', 'severe', 'critical', 'expired'];
const TIMELINE_DAYS = 90;
const TIMELINE_PAGES = 20; // × 500 items: the timeline reads at most 10,000 items

/** Whole days from now for the timeline, from each asset's own daysRemaining as the API computed it. */
function useTimeline(version: number) {
  const [state, setState] = useState<{ counts: number[]; truncated: boolean; error?: string }>();
  useEffect(() => {
    let live = true;
    readPages<AssetsPage, number | null>(
      '/api/assets/discovery/assets',
      { limit: 500 },
      (page) => page.assets.map((a) => a.daysRemaining),
      TIMELINE_PAGES,
    )
      .then(({ rows, truncated }) => live && setState({ counts: countPerDay(rows, TIMELINE_DAYS), truncated }))
      .catch((e: unknown) => live && setState({ counts: [], truncated: false, error: messageOf(e) }));
    return () => {
      live = false;
    };
  }, [version]);
  return state;
}

export function OverviewPage() {
  const { canOperate } = useSession();
  const [version, setVersion] = useState(0);
  const [filter, setFilter] = useState<Severity>();
  const stats = useApi<Stats>('/api/stats');
  const scans = useApi<DiscoveryScans>('/api/assets/discovery/scans?limit=1');
  const items = useApi<ExpiringItemsPage>(`/api/expiring-items${query({ severity: filter, limit: 10 })}`);
  const timeline = useTimeline(version);
  const startSeconds = useMemo(() => Math.floor(Date.now() / 86_400_000) * 86_400, [version]);
  const { reload: reloadStats } = stats;
  const { reload: reloadScans } = scans;
  const { reload: reloadItems } = items;
  const refresh = useCallback(() => {
    reloadStats();
    reloadScans();
    reloadItems();
    setVersion((v) => v + 1);
  }, [reloadStats, reloadScans, reloadItems]);
  const last = scans.data?.scans[0];
  return (
    <>
      <h1>Overview</h1>
      <Show load={stats}>
        {(s) => (
          <section aria-labelledby="counts-title">
            <h2 id="counts-title">Items by severity</h2>
            <ul class="cards">
              <li>
                <button
                  type="button"
                  class="card"
                  aria-pressed={filter === undefined}
                  onClick={() => setFilter(undefined)}
                >
                  <span class="card-count" data-testid="count-total">
                    {s.totalItems}
                  </span>
                  <span class="card-label">All items</span>
                </button>
              </li>
              {cards.map((severity) => (
                <li key={severity}>
                  <button
                    type="button"
                    class={`card sev-${severity}`}
                    aria-pressed={filter === severity}
                    onClick={() => setFilter(filter === severity ? undefined : severity)}
                  >
                    <span class="card-count" data-testid={`count-${severity}`}>
                      {s[severity]}
                    </span>
                    <span class="card-label">{severityLabels[severity]}</span>
                  </button>
                </li>
              ))}
            </ul>
            <p class="muted">
              {s.vaultCount} vaults in {s.subscriptionCount} subscriptions · last scan {formatDate(s.lastScanAt)}
            </p>
          </section>
        )}
      </Show>
      <section aria-labelledby="scan-title">
        <h2 id="scan-title">Last scan</h2>
        <ErrorMessage message={scans.error} />
        {last ? (
          <p>
            {last.status === 'completed' ? 'Completed' : 'Running'} · started {formatDate(last.startedAt)} ·{' '}
            {last.vaultsFound} vaults · {last.itemsScanned} items · outcomes: {outcomeSummary(last.outcomes)} ·{' '}
            <Link href={`/scans/${last.scanId}`}>details</Link>
          </p>
        ) : scans.data ? (
          <p>No scan has run yet.</p>
        ) : null}
        <ScanRunner
          running={last?.status === 'running' ? last.scanId : undefined}
          canStart={canOperate}
          onFinished={refresh}
        />
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Expiring in the next 90 days</h2>
        {timeline ? (
          <>
            <ErrorMessage message={timeline.error} />
            {timeline.error ? null : <ExpiryTimeline counts={timeline.counts} startSeconds={startSeconds} />}
            {timeline.truncated ? <p class="muted">Based on the first 10,000 items.</p> : null}
          </>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </section>
      <section aria-labelledby="list-title">
        <h2 id="list-title">
          {filter ? `${severityLabels[filter]} items` : 'Soonest expiring items'}{' '}
          <Link href={`/items${query({ severity: filter })}`} class="small">
            see all
          </Link>
        </h2>
        <Show load={items}>{(page) => <ItemsTable rows={page.items} caption="Soonest expiring items" />}</Show>
      </section>
    </>
  );
}
