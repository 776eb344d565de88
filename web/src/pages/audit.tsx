import { useEffect, useState } from 'preact/hooks';
import { get, messageOf, query } from '../api';
import type { AuditEntry, AuditExport, AuditOutcome, AuditPage, AuditStats } from '../api-types';
import { ErrorMessage, formatDate, Show } from '../components';
import { DataTable } from '../data-table';
import { base64Bytes, download } from '../download';
import { SelectField } from '../fields';
import { FilterForm, useFilters } from '../filter-form';
import { useSession } from '../session';
import { ActionButtons } from '../use-action';
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

/** Downloads the filtered trail as CSV or PDF, each with its signed manifest (also kept in blob storage). */
async function exportTrail(format: 'csv' | 'pdf', filters: Filters): Promise<string> {
  const result = await get<AuditExport>(`/api/audit/export${query({ format, ...range(filters) })}`);
  const stem = `keyward-audit-${result.manifest.firstSeq ?? 0}-${result.manifest.lastSeq ?? 0}`;
  if (format === 'pdf' && result.pdfBase64) download(`${stem}.pdf`, base64Bytes(result.pdfBase64), 'application/pdf');
  else download(`${stem}.csv`, result.csv, 'text/csv');
  download(`${stem}.manifest.json`, JSON.stringify(result.manifest, null, 2), 'application/json');
  return `Exported ${result.manifest.rowCount} entries (also kept in ${result.blobs.container}).`;
}

/** The audit trail: filters, the entries page by page, and (admins) the signed exports. */
export function AuditPage() {
  const { isAdmin } = useSession();
  const stats = useApi<AuditStats>('/api/audit/stats');
  const { draft, applied: filters, edit, field, apply } = useFilters(blank);
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [token, setToken] = useState<string>();
  const [error, setError] = useState<string>();
  const load = async (more: boolean): Promise<void> => {
    setError(undefined);
    const { action, actor, target, outcome } = filters;
    try {
      const page = await get<AuditPage>(
        `/api/audit${query({ ...range(filters), action, actor, target, outcome, limit: 50, continuationToken: more ? token : undefined })}`,
      );
      setEntries(more ? [...(entries ?? []), ...page.entries] : page.entries);
      setToken(page.continuationToken);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  useEffect(() => void load(false), [filters]);
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
      <FilterForm label="Filter the audit trail" onApply={apply}>
        {field('from', 'From (UTC day)', { type: 'date' })}
        {field('to', 'To (UTC day, inclusive)', { type: 'date' })}
        {field('action', 'Action or prefix')}
        {field('actor', 'Actor')}
        {field('target', 'Target')}
        <SelectField label="Outcome" value={draft.outcome} options={outcomes} onValue={edit('outcome')} any="Any" />
      </FilterForm>
      {isAdmin ? (
        <ActionButtons
          labels={{ csv: 'Export CSV + manifest', pdf: 'Export PDF evidence' }}
          run={(format) => exportTrail(format, filters)}
        />
      ) : null}
      <ErrorMessage message={error} />
      {entries === undefined && !error ? <p aria-busy="true">Loading…</p> : null}
      {entries ? (
        <DataTable
          caption="Audit entries"
          empty="No entries match."
          rows={entries}
          rowKey={(entry) => entry.seq}
          columns={[
            { header: '#', class: 'num', cell: (entry) => entry.seq },
            { header: 'Time', cell: (entry) => formatDate(entry.timestamp) },
            { header: 'Actor', cell: ({ actor }) => `${actor.name || actor.id} (${actor.type})` },
            { header: 'Action', class: 'mono', cell: (entry) => entry.action },
            { header: 'Target', cell: (entry) => entry.target },
            { header: 'Outcome', cell: (entry) => entry.outcome },
            { header: 'Details', class: 'details', cell: (entry) => detailsText(entry.details) },
          ]}
        />
      ) : null}
      {token ? (
        <button type="button" onClick={() => void load(true)}>
          Load more
        </button>
      ) : null}
    </>
  );
}
