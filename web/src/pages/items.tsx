import { useEffect, useMemo, useState } from 'preact/hooks';
import { useSearch } from 'wouter-preact';
import { get, messageOf } from '../api';
import type { DiscoveryVaults, ExpiringItem, ExpiringItemsPage, ItemType, RouteList, Severity } from '../api-types';
import { ErrorMessage, Notice, Pager, severityLabels } from '../components';
import { InputField, SelectField } from '../fields';
import { FilterForm } from '../filter-form';
import { readPages } from '../paged';
import { useSession } from '../session';
import { teamResolver } from '../team-of';
import { ItemsTable } from './items-table';

const severities: readonly Severity[] = ['warning', 'severe', 'critical', 'expired'];
const types: readonly ItemType[] = ['secret', 'key', 'certificate', 'appSecret', 'appCertificate'];
type Sort = 'soonest' | 'latest' | 'name' | 'vault';
const sorts: Record<Sort, string> = { soonest: 'Soonest first', latest: 'Latest first', name: 'Name', vault: 'Vault' };
const PAGE_SIZE = 25;
const MAX_PAGES = 40; // × 500: the list reads at most 20,000 expiring items

function compare(sort: Sort): (a: ExpiringItem, b: ExpiringItem) => number {
  if (sort === 'latest') return (a, b) => b.daysRemaining - a.daysRemaining;
  if (sort === 'name') return (a, b) => a.itemName.localeCompare(b.itemName);
  if (sort === 'vault') return (a, b) => (a.vaultName ?? '').localeCompare(b.vaultName ?? '');
  return (a, b) => a.daysRemaining - b.daysRemaining;
}

/**
 * Expiring items. Severity, type, vault and subscription filter on the server; the filtered list is read
 * through its continuation tokens, then searched, filtered by team, sorted and paged here.
 */
export function ItemsPage() {
  const { canOperate } = useSession();
  const params = new URLSearchParams(useSearch());
  const [severity, setSeverity] = useState(params.get('severity') ?? '');
  const [type, setType] = useState('');
  const [vault, setVault] = useState('');
  const [subscription, setSubscription] = useState('');
  const [team, setTeam] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>('soonest');
  const [page, setPage] = useState(0);
  const [loaded, setLoaded] = useState<{ items: ExpiringItem[]; truncated: boolean }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [teamOf, setTeamOf] = useState<(item: ExpiringItem) => string>();

  useEffect(() => {
    // Teams come from vault tags and routes; without them the team filter is simply not offered.
    Promise.all([get<DiscoveryVaults>('/api/assets/discovery/vaults'), get<RouteList>('/api/routes')])
      .then(([v, r]) => setTeamOf(() => teamResolver(v.vaults, r.routes)))
      .catch(() => setTeamOf(undefined));
  }, []);

  useEffect(() => {
    let live = true;
    setError(undefined);
    readPages<ExpiringItemsPage, ExpiringItem>(
      '/api/expiring-items',
      { severity, type, vault: vault.trim(), subscription: subscription.trim(), limit: 500 },
      (p) => p.items,
      MAX_PAGES,
    )
      .then(({ rows, truncated }) => live && (setLoaded({ items: rows, truncated }), setPage(0)))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [severity, type, vault, subscription]);

  const teams = useMemo(
    () => (teamOf && loaded ? [...new Set(loaded.items.map(teamOf))].sort() : []),
    [teamOf, loaded],
  );
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (loaded?.items ?? [])
      .filter((item) => !needle || item.itemName.toLowerCase().includes(needle))
      .filter((item) => !team || !teamOf || teamOf(item) === team)
      .sort(compare(sort));
  }, [loaded, search, team, teamOf, sort]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const rows = shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);

  return (
    <>
      <h1>Expiring items</h1>
      <FilterForm label="Filter items">
        <InputField
          label="Search names"
          type="search"
          value={search}
          onValue={(value) => (setSearch(value), setPage(0))}
        />
        <SelectField
          label="Severity"
          value={severity}
          options={severities}
          onValue={setSeverity}
          any="All"
          labelOf={(s) => severityLabels[s]}
        />
        <SelectField label="Type" value={type} options={types} onValue={setType} any="All" />
        <InputField label="Vault" value={vault} onValue={setVault} lazy />
        <InputField label="Subscription" value={subscription} onValue={setSubscription} lazy />
        {teamOf ? (
          <SelectField label="Team" value={team} options={teams} onValue={(t) => (setTeam(t), setPage(0))} any="All" />
        ) : null}
        <SelectField label="Sort" value={sort} options={sorts} onValue={setSort} />
      </FilterForm>
      <ErrorMessage message={error} />
      <Notice message={notice} />
      {!loaded && !error ? <p aria-busy="true">Loading…</p> : null}
      {loaded ? (
        <>
          <p class="muted" data-testid="items-count" aria-live="polite">
            {shown.length} items{loaded.truncated ? ' (the first 20,000 only)' : ''}
          </p>
          <ItemsTable
            rows={rows}
            caption="Expiring items"
            teamOf={teamOf}
            onSnoozed={canOperate ? (message) => setNotice(message) : undefined}
          />
          <Pager
            back="Previous"
            forward="Next"
            atStart={page === 0}
            atEnd={page + 1 >= pages}
            onStep={(step) => setPage(page + step)}
          >
            Page {page + 1} of {pages}
          </Pager>
        </>
      ) : null}
    </>
  );
}
