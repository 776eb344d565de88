import { useState } from 'preact/hooks';
import { formatDate, Show } from '../components';
import { useApi } from '../use-api';
import type { RotationHistory, RotationView } from './rotation-types';

const stepLabels: Record<string, string> = {
  preflight: 'Pre-flight',
  create: 'Create credential',
  verify: 'Verify at token endpoint',
  store: 'Write to Key Vault',
  activate: 'Activate',
  removeOld: 'Remove old credential',
};

/** One rotation's steps in order, with duration, outcome and the identifiers each step recorded. */
function StepTimeline({ rotation }: { rotation: RotationView }) {
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

/** Every rotation, newest first, each expandable into its step timeline. */
export function RotationHistorySection() {
  const [status, setStatus] = useState('');
  const history = useApi<RotationHistory>(`/api/automation/history?limit=50${status ? `&status=${status}` : ''}`);
  const [open, setOpen] = useState<string>();
  return (
    <section aria-labelledby="rotation-history-title">
      <h2 id="rotation-history-title">History</h2>
      <label>
        Status{' '}
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">any</option>
          {['queued', 'running', 'overlapping', 'completed', 'failed'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" onClick={history.reload}>
        Refresh
      </button>
      <Show load={history} label="Rotation history">
        {(data) =>
          data.rotations.length === 0 ? (
            <p>No rotations yet.</p>
          ) : (
            <table>
              <caption class="sr-only">Rotations, newest first ({data.total} in all)</caption>
              <thead>
                <tr>
                  <th scope="col">Application</th>
                  <th scope="col">Type</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Status</th>
                  <th scope="col">Requested</th>
                  <th scope="col">New expiry</th>
                  <th scope="col">Steps</th>
                </tr>
              </thead>
              <tbody>
                {data.rotations.map((r) => (
                  <tr key={r.rotationId} data-testid={`rotation-${r.rotationId}`}>
                    <td>{r.appDisplayName}</td>
                    <td>{r.credentialType}</td>
                    <td>{r.trigger}</td>
                    <td>
                      {r.status}
                      {r.errorCode ? ` at ${r.errorStep ?? '?'}: ${r.errorCode}` : ''}
                    </td>
                    <td>{formatDate(r.requestedAt)}</td>
                    <td>{formatDate(r.newEndDateTime)}</td>
                    <td>
                      <button
                        type="button"
                        aria-expanded={open === r.rotationId}
                        onClick={() => setOpen(open === r.rotationId ? undefined : r.rotationId)}
                      >
                        {open === r.rotationId ? 'Hide' : 'Show'} steps
                        <span class="sr-only"> of {r.appDisplayName}</span>
                      </button>
                      {open === r.rotationId ? <StepTimeline rotation={r} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}
