import { useState } from 'preact/hooks';
import type { FrameworkDetail, FrameworkSummary, ScoreResponse } from '../../../shared/compliance/compliance-types';
import type { EvidenceResponse } from '../../../shared/compliance/compliance-evidence-schemas';
import { get } from '../api';
import { formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { base64Bytes, download } from '../download';
import { useSession } from '../session';
import { ActionButtons } from '../use-action';
import { useApi } from '../use-api';
import { RulesSection } from './compliance-rules';
import { ViolationsSection } from './compliance-violations';

const severities = ['critical', 'high', 'medium', 'low'] as const;

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
    <Section id="score-h" title="Score">
      <p class="card-count">{score.score === null ? 'Not evaluated yet' : `${score.score} / 100`}</p>
      <p>
        Passed {score.passed} · failed {score.failed} · waived {score.waived} · not evaluated {score.notEvaluated} ·
        last scan {score.scanId ?? '—'} ({formatDate(score.evaluatedAt)})
      </p>
      <p>
        {severities.map((s) => `${s}: ${score.bySeverity[s]?.failed ?? 0} failed`).join(' · ')} · trend{' '}
        <Trend points={score.trend} />
      </p>
    </Section>
  );
}

/** "KW-KV-001 (3/1/0), KW-KV-002 (off)": each rule of a control with its last result. */
function rulesText(rules: FrameworkDetail['controlDetails'][number]['rules']): string {
  if (rules.length === 0) return '—';
  return rules
    .map((r) =>
      r.result
        ? `${r.id} (${r.result.passed}/${r.result.failed}/${r.result.notEvaluated})`
        : `${r.id}${r.enabled ? '' : ' (off)'}`,
    )
    .join(', ');
}

function FrameworkTabs({ frameworks }: { frameworks: readonly FrameworkSummary[] }) {
  const [selected, setSelected] = useState(frameworks[0]?.id ?? '');
  const detail = useApi<FrameworkDetail>(selected ? `/api/compliance/frameworks/${selected}` : null);
  return (
    <Section id="fw-h" title="Frameworks">
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
            <DataTable
              caption={`${f.name} — ${f.controls.passed} passed, ${f.controls.failed} failed, ${f.controls.notEvaluated} not evaluated, ${f.controls.customer} customer responsibility`}
              showCaption
              rows={f.controlDetails}
              rowKey={(c) => c.id}
              columns={[
                { header: 'Control', class: 'mono', cell: (c) => c.id },
                { header: 'Title', cell: (c) => c.title },
                { header: 'Status', cell: (c) => c.status },
                { header: 'Evidence', cell: (c) => c.evidenceType },
                { header: 'Rules (passed / failed / not evaluated)', cell: (c) => rulesText(c.rules) },
              ]}
            />
          )}
        </Show>
      </div>
    </Section>
  );
}

/** Downloads the signed evidence package (and its PDF, when asked for) that keyward-verify-evidence checks. */
async function downloadEvidence(format: 'json' | 'pdf'): Promise<string> {
  const pkg = await get<EvidenceResponse>(`/api/compliance/evidence-package?format=${format}`);
  const stem = `keyward-compliance-${pkg.manifest.generatedAt.slice(0, 10)}`;
  // The whole package (files + manifest) is what keyward-verify-evidence checks.
  download(`${stem}.package.json`, JSON.stringify(pkg), 'application/json');
  const pdf = pkg.files.find((f) => f.name === 'evidence.pdf');
  if (pdf) download(`${stem}.pdf`, base64Bytes(pdf.content), 'application/pdf');
  return (
    `Package with ${pkg.files.length} files, manifest signed (key id ${pkg.manifest.signature.keyId}); ` +
    `also kept in ${pkg.blobs.container}/${pkg.blobs.manifest}.`
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
            {isAdmin ? (
              <ActionButtons
                labels={{ json: 'Evidence package (JSON)', pdf: 'Evidence package (PDF)' }}
                run={downloadEvidence}
              />
            ) : null}
            <FrameworkTabs frameworks={s.frameworks} />
            <ViolationsSection frameworks={s.frameworks} />
          </>
        )}
      </Show>
      <RulesSection />
    </>
  );
}
