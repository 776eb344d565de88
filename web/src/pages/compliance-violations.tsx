import { useState } from 'preact/hooks';
import type { FrameworkSummary, Violation } from '../../../shared/compliance/compliance-types';
import type * as schemas from '../../../shared/compliance/compliance-schemas';
import { post, query } from '../api';
import { ErrorMessage, formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { InputField, SelectField } from '../fields';
import { FilterForm, useFilters } from '../filter-form';
import type { Parsed } from '../schema-types';
import { useSession } from '../session';
import { useAction } from '../use-action';
import { useApi } from '../use-api';

type ViolationsPage = Parsed<typeof schemas>['violationsResponse'];

const severities = ['critical', 'high', 'medium', 'low'] as const;
const statuses = ['open', 'waived', 'resolved'] as const;

function WaiveForm({ violation, done }: { violation: Violation; done: () => void }) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const waive = useAction();
  const submit = () =>
    waive.run(async () => {
      await post(`/api/compliance/violations/${violation.id}/waive`, {
        reason,
        expiresAt: until ? new Date(`${until}T00:00:00Z`).toISOString() : '',
      });
      done();
    });
  return (
    <form
      class="filters"
      aria-label={`Waive ${violation.ruleId} on ${violation.resource.name}`}
      onSubmit={(e) => (e.preventDefault(), void submit())}
    >
      <InputField label="Reason" required minLength={3} maxLength={500} value={reason} onValue={setReason} />
      <InputField label="Until (UTC day)" required type="date" value={until} onValue={setUntil} />
      <button type="submit">Waive</button>
      <ErrorMessage message={waive.error} />
    </form>
  );
}

const blank = { severity: '', framework: '', status: 'open', rule: '', vault: '' };

/** Violations by filter, newest first; an admin waives an open one until a day, with a reason (audited). */
export function ViolationsSection({ frameworks }: { frameworks: readonly FrameworkSummary[] }) {
  const { isAdmin } = useSession();
  const { draft, applied, edit, field, apply } = useFilters(blank);
  const [waiving, setWaiving] = useState<string>();
  const list = useApi<ViolationsPage>(`/api/compliance/violations${query({ ...applied, pageSize: 100 })}`);
  const status = (v: Violation) => (
    <>
      {v.status}
      {v.waiver ? ` until ${v.waiver.expiresAt.slice(0, 10)}: ${v.waiver.reason}` : ''}
      {isAdmin && v.status === 'open' ? (
        waiving === v.id ? (
          <WaiveForm violation={v} done={() => (setWaiving(undefined), list.reload())} />
        ) : (
          <button type="button" onClick={() => setWaiving(v.id)}>
            Waive…
          </button>
        )
      ) : null}
    </>
  );
  return (
    <Section id="viol-h" title="Violations">
      <FilterForm label="Filter violations" onApply={apply}>
        <SelectField label="Status" value={draft.status} options={statuses} onValue={edit('status')} />
        <SelectField
          label="Severity"
          value={draft.severity}
          options={severities}
          onValue={edit('severity')}
          any="Any"
        />
        <SelectField
          label="Framework"
          value={draft.framework}
          options={frameworks.map((f) => f.id)}
          onValue={edit('framework')}
          any="Any"
        />
        {field('rule', 'Rule', { placeholder: 'KW-KV-001' })}
        {field('vault', 'Vault')}
      </FilterForm>
      <Show load={list} label="Violations">
        {(page) => (
          <DataTable
            caption="Violations"
            empty="No violations match."
            rows={page.violations}
            rowKey={(v) => v.id}
            columns={[
              { header: 'Severity', cell: (v) => v.severity },
              {
                header: 'Rule',
                cell: (v) => (
                  <>
                    <span class="mono">{v.ruleId}</span> {v.ruleTitle}
                  </>
                ),
              },
              {
                header: 'Resource',
                cell: ({ resource }) => `${resource.name}${resource.vaultName ? ` (${resource.vaultName})` : ''}`,
              },
              { header: 'First / last seen', cell: (v) => `${formatDate(v.firstSeen)} / ${formatDate(v.lastSeen)}` },
              { header: 'Evidence', class: 'mono', cell: (v) => JSON.stringify(v.evidence) },
              { header: 'Status', cell: status },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}
