import { useEffect, useState } from 'preact/hooks';
import type * as schemas from '../../../shared/compliance/compliance-schemas';
import type { RuleTestResponse, RuleView } from '../../../shared/compliance/compliance-types';
import { api, ApiFailure, messageOf, post } from '../api';
import { ErrorMessage, Section, Show } from '../components';
import { TableHead } from '../data-table';
import type { Parsed } from '../schema-types';
import { InputField, SelectField } from '../fields';
import { useSession } from '../session';
import { useAction } from '../use-action';
import { useApi } from '../use-api';

const scopes = ['vault', 'secret', 'key', 'certificate', 'appCredential', 'app'] as const;
const severities = ['critical', 'high', 'medium', 'low'] as const;

interface ConditionError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The API's 400 names the condition's line and column in `details`; anything else is a plain message. */
function conditionError(error: unknown): ConditionError {
  if (error instanceof ApiFailure) {
    const detail = error.body.details?.find((d) => d.field === 'condition');
    const at = detail ? /^line (\d+), column (\d+): (.*)$/.exec(detail.message) : null;
    if (at) return { line: Number(at[1]), column: Number(at[2]), message: at[3] ?? detail?.message ?? '' };
  }
  return { message: messageOf(error) };
}

/** Shows the offending line with a caret under the column. */
function ErrorAtPosition({ source, error }: { source: string; error: ConditionError }) {
  if (!error.line || !error.column) return <ErrorMessage message={error.message} />;
  const line = source.split('\n')[error.line - 1] ?? '';
  return (
    <div class="error" role="alert">
      <p>
        Line {error.line}, column {error.column}: {error.message}
      </p>
      <pre class="mono">
        {line}
        {'\n'}
        {' '.repeat(Math.max(0, error.column - 1))}^
      </pre>
    </div>
  );
}

function RuleEditor({ saved }: { saved: () => void }) {
  const [scope, setScope] = useState<(typeof scopes)[number]>('secret');
  const [condition, setCondition] = useState('secret.hasExpiry && secret.daysToExpiry > 30');
  const [severity, setSeverity] = useState<(typeof severities)[number]>('medium');
  const [title, setTitle] = useState('');
  const [remediation, setRemediation] = useState('');
  const [preview, setPreview] = useState<RuleTestResponse>();
  const [error, setError] = useState<ConditionError>();
  const test = async (): Promise<void> => {
    try {
      setPreview(await post<RuleTestResponse>('/api/compliance/rules/test', { scope, condition, limit: 20 }));
      setError(undefined);
    } catch (e) {
      setPreview(undefined);
      setError(conditionError(e));
    }
  };
  // A live preview a moment after typing stops (the test endpoint is rate-limited as expensive).
  useEffect(() => {
    const timer = setTimeout(() => void test(), 1500);
    return () => clearTimeout(timer);
  }, [scope, condition]);
  const save = async (): Promise<void> => {
    try {
      await post('/api/compliance/rules', { scope, condition, severity, title, remediation });
      setError(undefined);
      saved();
    } catch (e) {
      setError(conditionError(e));
    }
  };
  return (
    <form class="filters" aria-label="New custom rule" onSubmit={(e) => (e.preventDefault(), void save())}>
      <SelectField label="Scope" value={scope} options={scopes} onValue={setScope} />
      <label>
        Condition (CEL; true = compliant)
        <textarea
          rows={3}
          cols={60}
          class="mono"
          value={condition}
          onInput={(e) => setCondition(e.currentTarget.value)}
        />
      </label>
      <SelectField label="Severity" value={severity} options={severities} onValue={setSeverity} />
      <InputField label="Title" required minLength={3} maxLength={200} value={title} onValue={setTitle} />
      <InputField label="Remediation" maxLength={2000} value={remediation} onValue={setRemediation} />
      <button type="button" onClick={() => void test()}>
        Test against current inventory
      </button>
      <button type="submit">Save rule</button>
      {error ? <ErrorAtPosition source={condition} error={error} /> : null}
      {preview ? (
        <p role="status">
          Would pass {preview.counts.passed}, fail {preview.counts.failed}, not evaluated {preview.counts.notEvaluated}
          {preview.budgetExceeded ? ' (stopped at its time budget)' : ''} · {preview.timing.evaluateMs.toFixed(1)} ms
          {preview.matches.length > 0 ? ` · e.g. ${preview.matches.map((m) => m.resource.name).join(', ')}` : ''}
        </p>
      ) : null}
    </form>
  );
}

function RuleRow({ rule, isAdmin, changed }: { rule: RuleView; isAdmin: boolean; changed: () => void }) {
  const action = useAction();
  const act = (call: () => Promise<unknown>) =>
    void action.run(async () => {
      await call();
      changed();
    });
  const run = rule.lastRun;
  return (
    <tr>
      <td class="mono">{rule.id}</td>
      <td>
        {rule.title}
        {rule.condition ? <div class="mono">{rule.condition}</div> : null}
        <ErrorMessage message={action.error} />
      </td>
      <td>{rule.severity}</td>
      <td>{rule.scopes.join(', ')}</td>
      <td>
        {rule.params.map((p) => (
          <label key={p.name}>
            {p.name}
            <input
              value={String(p.value)}
              disabled={!isAdmin}
              onChange={(e) => {
                const raw = e.currentTarget.value;
                const value = p.type === 'int' ? Number(raw) : raw;
                act(() => api('PUT', `/api/compliance/rules/${rule.id}`, { params: { [p.name]: value } }));
              }}
            />
          </label>
        ))}
      </td>
      <td>
        {run ? `${run.passed} / ${run.failed} / ${run.notEvaluated}${run.budgetExceeded ? ' (budget)' : ''}` : '—'}
      </td>
      <td>
        {isAdmin ? (
          <>
            <button
              type="button"
              aria-pressed={rule.enabled}
              onClick={() => act(() => api('PUT', `/api/compliance/rules/${rule.id}`, { enabled: !rule.enabled }))}
            >
              {rule.enabled ? 'Enabled' : 'Disabled'}
            </button>
            {rule.kind === 'custom' ? (
              <button type="button" onClick={() => act(() => api('DELETE', `/api/compliance/rules/${rule.id}`))}>
                Delete
              </button>
            ) : null}
          </>
        ) : rule.enabled ? (
          'Enabled'
        ) : (
          'Disabled'
        )}
      </td>
    </tr>
  );
}

/** Each rule is a row of its own (with its own error and controls), so the table lists only its headers here. */
const ruleColumns = [
  'Id',
  'Rule',
  'Severity',
  'Scope',
  'Parameters',
  'Last run (passed / failed / not evaluated)',
  'State',
] as const;

/** The rule catalogue; admins toggle, re-parameterise and write custom rules, readers only see them. */
export function RulesSection() {
  const { isAdmin } = useSession();
  const rules = useApi<Parsed<typeof schemas>['rulesResponse']>('/api/compliance/rules');
  return (
    <Section id="rules-h" title="Rules">
      {isAdmin ? <RuleEditor saved={rules.reload} /> : null}
      <Show load={rules} label="Rules">
        {(r) => (
          <table>
            <caption class="sr-only">Compliance rules</caption>
            <TableHead headers={ruleColumns} />
            <tbody>
              {r.rules.map((rule) => (
                <RuleRow key={rule.id} rule={rule} isAdmin={isAdmin} changed={rules.reload} />
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </Section>
  );
}
