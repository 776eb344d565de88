import { useState } from 'preact/hooks';
import type {
  FrameworkDetail,
  FrameworkSummary,
  ScoreResponse,
  Violation,
} from '../../../shared/compliance/compliance-types';
import type { EvidenceResponse } from '../../../shared/compliance/compliance-evidence-schemas';
import { get, messageOf, post, query } from '../api';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { base64Bytes, download } from '../download';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { RulesSection } from './compliance-rules';

const severities = ['critical', 'high', 'medium', 'low'] as const;
const statuses = ['open', 'waived', 'resolved'] as const;

/** The last 30 scores as a small line (null scores are gaps). */
function Trend({ points }: { points: ScoreResponse['trend'] }) {
  if (points.length < 2) return <span>{points.length === 1 ? 'one evaluation so far' : 'no evaluation yet'}</span>;
  const step = 200 / (points.length - 1);
  const path = points
    .map((p, i) => (p.score === null ? null : `${i * step},${40 - (p.score / 100) * 40}`))
    .filter((p) => p !== null)
    .join(' ');
  return (
    <svg width="200" height="40" role="img" aria-label={`Score trend: ${points.map((p) => p.score ?? '-').join(', ')}`}>
      <polyline points={path} fill="none" stroke="currentColor" stroke-width="2" />
    </svg>
  );
}

function ScoreSection({ score }: { score: ScoreResponse }) {
  return (
    <section aria-labelledby="score-h">
      <h2 id="score-h">Score</h2>
      <p class="card-count">{score.score === null ? 'Not evaluated yet' : `${score.score} / 100`}</p>
      <p>
        Passed {score.passed} · failed {score.failed} · waived {score.waived} · not evaluated {score.notEvaluated} ·
        last scan {score.scanId ?? '—'} ({formatDate(score.evaluatedAt)})
      </p>
      <p>
        {severities.map((s) => `${s}: ${score.bySeverity[s]?.failed ?? 0} failed`).join(' · ')} · trend{' '}
        <Trend points={score.trend} />
      </p>
    </section>
  );
}

function FrameworkTabs({ frameworks }: { frameworks: readonly FrameworkSummary[] }) {
  const [selected, setSelected] = useState(frameworks[0]?.id ?? '');
  const detail = useApi<FrameworkDetail>(selected ? `/api/compliance/frameworks/${selected}` : null);
  return (
    <section aria-labelledby="fw-h">
      <h2 id="fw-h">Frameworks</h2>
      <div role="tablist" aria-label="Frameworks" class="actions">
        {frameworks.map((f) => (
          <button
            key={f.id}
            type="button"
            role="tab"
            aria-selected={f.id === selected}
            onClick={() => setSelected(f.id)}
          >
            {f.family} {f.version} · {f.score ?? '—'}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <Show load={detail} label="Framework">
          {(f) => (
            <table>
              <caption>
                {f.name} — {f.controls.passed} passed, {f.controls.failed} failed, {f.controls.notEvaluated} not
                evaluated, {f.controls.customer} customer responsibility
              </caption>
              <thead>
                <tr>
                  <th scope="col">Control</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Rules (passed / failed / not evaluated)</th>
                </tr>
              </thead>
              <tbody>
                {f.controlDetails.map((c) => (
                  <tr key={c.id}>
                    <td class="mono">{c.id}</td>
                    <td>{c.title}</td>
                    <td>{c.status}</td>
                    <td>{c.evidenceType}</td>
                    <td>
                      {c.rules.length === 0
                        ? '—'
                        : c.rules
                            .map((r) =>
                              r.result
                                ? `${r.id} (${r.result.passed}/${r.result.failed}/${r.result.notEvaluated})`
                                : `${r.id}${r.enabled ? '' : ' (off)'}`,
                            )
                            .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </div>
    </section>
  );
}

function WaiveForm({ violation, done }: { violation: Violation; done: () => void }) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (): Promise<void> => {
    setError(undefined);
    try {
      await post(`/api/compliance/violations/${violation.id}/waive`, {
        reason,
        expiresAt: until ? new Date(`${until}T00:00:00Z`).toISOString() : '',
      });
      done();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form
      class="filters"
      aria-label={`Waive ${violation.ruleId} on ${violation.resource.name}`}
      onSubmit={(e) => (e.preventDefault(), void submit())}
    >
      <label>
        Reason
        <input
          required
          minLength={3}
          maxLength={500}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <label>
        Until (UTC day)
        <input required type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
      </label>
      <button type="submit">Waive</button>
      <ErrorMessage message={error} />
    </form>
  );
}

function ViolationsSection({ frameworks }: { frameworks: readonly FrameworkSummary[] }) {
  const { isAdmin } = useSession();
  const blank = { severity: '', framework: '', status: 'open', rule: '', vault: '' };
  const [draft, setDraft] = useState(blank);
  const [filters, setFilters] = useState(blank);
  const [waiving, setWaiving] = useState<string>();
  const list = useApi<{ violations: Violation[]; continuationToken: string | null }>(
    `/api/compliance/violations${query({ ...filters, pageSize: 100 })}`,
  );
  const select = (key: keyof typeof blank, label: string, options: readonly string[], any = true) => (
    <label>
      {label}
      <select value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}>
        {any ? <option value="">Any</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="viol-h">
      <h2 id="viol-h">Violations</h2>
      <form class="filters" aria-label="Filter violations" onSubmit={(e) => (e.preventDefault(), setFilters(draft))}>
        {select('status', 'Status', statuses, false)}
        {select('severity', 'Severity', severities)}
        {select(
          'framework',
          'Framework',
          frameworks.map((f) => f.id),
        )}
        <label>
          Rule
          <input
            value={draft.rule}
            placeholder="KW-KV-001"
            onInput={(e) => setDraft({ ...draft, rule: e.currentTarget.value })}
          />
        </label>
        <label>
          Vault
          <input value={draft.vault} onInput={(e) => setDraft({ ...draft, vault: e.currentTarget.value })} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <Show load={list} label="Violations">
        {(page) =>
          page.violations.length === 0 ? (
            <p>No violations match.</p>
          ) : (
            <table>
              <caption class="sr-only">Violations</caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Resource</th>
                  <th scope="col">First / last seen</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {page.violations.map((v) => (
                  <tr key={v.id}>
                    <td>{v.severity}</td>
                    <td>
                      <span class="mono">{v.ruleId}</span> {v.ruleTitle}
                    </td>
                    <td>
                      {v.resource.name}
                      {v.resource.vaultName ? ` (${v.resource.vaultName})` : ''}
                    </td>
                    <td>
                      {formatDate(v.firstSeen)} / {formatDate(v.lastSeen)}
                    </td>
                    <td class="mono">{JSON.stringify(v.evidence)}</td>
                    <td>
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

function EvidenceButtons() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = async (format: 'json' | 'pdf'): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const pkg = await get<EvidenceResponse>(`/api/compliance/evidence-package?format=${format}`);
      const stem = `keyward-compliance-${pkg.manifest.generatedAt.slice(0, 10)}`;
      // The whole package (files + manifest) is what keyward-verify-evidence checks.
      download(`${stem}.package.json`, JSON.stringify(pkg), 'application/json');
      const pdf = pkg.files.find((f) => f.name === 'evidence.pdf');
      if (pdf) download(`${stem}.pdf`, base64Bytes(pdf.content), 'application/pdf');
      setDone(`Package with ${pkg.files.length} files, manifest signed (key id ${pkg.manifest.signature.keyId}).`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      <button type="button" disabled={busy} onClick={() => void run('json')}>
        Evidence package (JSON)
      </button>
      <button type="button" disabled={busy} onClick={() => void run('pdf')}>
        Evidence package (PDF)
      </button>
      <Notice message={done} />
      <ErrorMessage message={error} />
    </div>
  );
}

/** Compliance: score and trend, frameworks and their controls, violations (waive: admins), rules, evidence. */
export function CompliancePage() {
  const { isAdmin } = useSession();
  const score = useApi<ScoreResponse>('/api/compliance/score');
  return (
    <>
      <h1>Compliance</h1>
      <Show load={score} label="Compliance score">
        {(s) => (
          <>
            <p class="banner" role="note">
              {s.disclaimer}
            </p>
            <ScoreSection score={s} />
            {isAdmin ? <EvidenceButtons /> : null}
            <FrameworkTabs frameworks={s.frameworks} />
            <ViolationsSection frameworks={s.frameworks} />
          </>
        )}
      </Show>
      <RulesSection />
    </>
  );
}
