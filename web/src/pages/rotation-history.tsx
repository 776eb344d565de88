import { useState } from 'preact/hooks';
import { formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { SelectField } from '../fields';
import { useApi } from '../use-api';
import type { RotationApi } from './rotation-types';

const stepLabels: Record<string, string> = {
  preflight: 'Pre-flight',
  create: 'Create credential',
  verify: 'Verify at token endpoint',
  store: 'Write to Key Vault',
  activate: 'Activate',
  removeOld: 'Remove old credential',
};

/** One rotation's steps in order, with duration, outcome and the identifiers each step recorded. */
function StepTimeline({ rotation }: { rotation: RotationApi['rotation'] }) {
  return (
    <ol class="timeline" aria-label={`Steps of rotation ${rotation.rotationId}`}>
      {rotation.steps.map((step, i) => (
        <li key={i} class={`step-${step.status}`}>
          <strong>{stepLabels[step.name] ?? step.name}</strong> — {step.status}
          {step.durationMs !== null ? ` in ${(step.durationMs / 1000).toFixed(1)} s` : ''}
          {step.errorCode ? ` (${step.errorCode})` : ''}
          <span class="muted"> {formatDate(step.startedAt)}</span>
          {Object.keys(step.detail).length > 0 ? (
            <div class="mono small">
              {Object.entries(step.detail)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join(' · ')}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

const statuses = ['queued', 'running', 'overlapping', 'completed', 'failed'] as const;

/** Every rotation, newest first, each expandable into its step timeline. */
export function RotationHistorySection() {
  const [status, setStatus] = useState('');
  const history = useApi<RotationApi['history']>(
    `/api/automation/history?limit=50${status ? `&status=${status}` : ''}`,
  );
  const [open, setOpen] = useState<string>();
  return (
    <Section id="rotation-history-title" title="History">
      <SelectField label="Status" value={status} options={statuses} onValue={setStatus} any="any" />{' '}
      <button type="button" onClick={history.reload}>
        Refresh
      </button>
      <Show load={history} label="Rotation history">
        {(data) => (
          <DataTable
            caption={`Rotations, newest first (${data.total} in all)`}
            empty="No rotations yet."
            rows={data.rotations}
            rowKey={(r) => r.rotationId}
            rowTestId={(r) => `rotation-${r.rotationId}`}
            columns={[
              { header: 'Application', cell: (r) => r.appDisplayName },
              { header: 'Type', cell: (r) => r.credentialType },
              { header: 'Trigger', cell: (r) => r.trigger },
              {
                header: 'Status',
                cell: (r) => `${r.status}${r.errorCode ? ` at ${r.errorStep ?? '?'}: ${r.errorCode}` : ''}`,
              },
              { header: 'Requested', cell: (r) => formatDate(r.requestedAt) },
              { header: 'New expiry', cell: (r) => formatDate(r.newEndDateTime) },
              {
                header: 'Steps',
                cell: (r) => (
                  <>
                    <button
                      type="button"
                      aria-expanded={open === r.rotationId}
                      onClick={() => setOpen(open === r.rotationId ? undefined : r.rotationId)}
                    >
                      {open === r.rotationId ? 'Hide' : 'Show'} steps
                      <span class="sr-only"> of {r.appDisplayName}</span>
                    </button>
                    {open === r.rotationId ? <StepTimeline rotation={r} /> : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}
