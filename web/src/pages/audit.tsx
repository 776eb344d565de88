import { useEffect, useState } from 'preact/hooks';
import { get, messageOf, query } from '../api';
import type { AuditEntry, AuditExport, AuditOutcome, AuditStats } from '../api-types';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { base64Bytes, download } from '../download';
import { useSession } from '../session';
import { useApi } from '../use-api';

const outcomes: readonly AuditOutcome[] = ['success', 'partial', 'failure', 'denied'];
const blank = { from: '', to: '', action: '', actor: '', target: '', outcome: '' };
type Filters = typeof blank;

/** Date inputs give a day; the API takes instants (`from` inclusive, `to` exclusive, so `to` is the next day). */
function range(filters: Filters): { from?: string; to?: string } {
  const day = (value: string, plus: number): string | undefined =>
    value ? new Date(Date.parse(`${value}T00:00:00Z`) + plus * 86_400_000).toISOString() : undefined;
  return { from: day(filters.from, 0), to: day(filters.to, 1) };
}

/** `key: value; …`, nested values as compact JSON. */
function detailsText(details: Readonly<Record<string, unknown>>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

function ExportButtons({ filters }: { filters: Filters }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = async (format: 'csv' | 'pdf'): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await get<AuditExport>(`/api/audit/export${query({ format, ...range(filters) })}`);
      const stem = `keyward-audit-${result.manifest.firstSeq ?? 0}-${result.manifest.lastSeq ?? 0}`;
      if (format === 'pdf' && result.pdfBase64)
        download(`${stem}.pdf`, base64Bytes(result.pdfBase64), 'application/pdf');
      else download(`${stem}.csv`, result.csv, 'text/csv');
      download(`${stem}.manifest.json`, JSON.stringify(result.manifest, null, 2), 'application/json');
      setDone(`Exported ${result.manifest.rowCount} entries (also kept in ${result.blobs.container}).`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      <button type="button" disabled={busy} onClick={() => void run('csv')}>
        Export CSV + manifest
      </button>
      <button type="button" disabled={busy} onClick={() => void run('pdf')}>
        Export PDF evidence
      </button>
      <Notice message={done} />
      <ErrorMessage message={error} />
    </div>
  );
}

/** The audit trail: filters, the entries page by page, and (admins) the signed exports. */
export function AuditPage() {
  const { isAdmin } = useSession();
  const stats = useApi<AuditStats>('/api/audit/stats');
  const [draft, setDraft] = useState(blank);
  const [filters, setFilters] = useState(blank);
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [token, setToken] = useState<string>();
  const [error, setError] = useState<string>();
  const load = async (more: boolean): Promise<void> => {
    setError(undefined);
    const { action, actor, target, outcome } = filters;
    try {
      const page = await get<{ entries: AuditEntry[]; continuationToken?: string }>(
        `/api/audit${query({ ...range(filters), action, actor, target, outcome, limit: 50, continuationToken: more ? token : undefined })}`,
      );
      setEntries(more ? [...(entries ?? []), ...page.entries] : page.entries);
      setToken(page.continuationToken);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  useEffect(() => void load(false), [filters]);
  const field = (key: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} />
    </label>
  );
  return (
    <>
      <h1>Audit trail</h1>
      <Show load={stats} label="Audit totals">
        {(s) => (
          <p>
            {s.total} entries · {s.today} today · {outcomes.map((o) => `${o} ${s.byOutcome[o] ?? 0}`).join(' · ')} ·
            head #{s.headSeq} <span class="mono">{s.headHash.slice(0, 16)}…</span>
          </p>
        )}
      </Show>
      <form
        class="filters"
        aria-label="Filter the audit trail"
        onSubmit={(e) => (e.preventDefault(), setFilters(draft))}
      >
        {field('from', 'From (UTC day)', 'date')}
        {field('to', 'To (UTC day, inclusive)', 'date')}
        {field('action', 'Action or prefix')}
        {field('actor', 'Actor')}
        {field('target', 'Target')}
        <label>
          Outcome
          <select value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.currentTarget.value })}>
            <option value="">Any</option>
            {outcomes.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      {isAdmin ? <ExportButtons filters={filters} /> : null}
      <ErrorMessage message={error} />
      {entries === undefined && !error ? <p aria-busy="true">Loading…</p> : null}
      {entries?.length === 0 ? <p>No entries match.</p> : null}
      {entries && entries.length > 0 ? (
        <table>
          <caption class="sr-only">Audit entries</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.seq}>
                <td class="num">{entry.seq}</td>
                <td>{formatDate(entry.timestamp)}</td>
                <td>
                  {entry.actor.name || entry.actor.id} ({entry.actor.type})
                </td>
                <td class="mono">{entry.action}</td>
                <td>{entry.target}</td>
                <td>{entry.outcome}</td>
                <td class="details">{detailsText(entry.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {token ? (
        <button type="button" onClick={() => void load(true)}>
          Load more
        </button>
      ) : null}
    </>
  );
}
