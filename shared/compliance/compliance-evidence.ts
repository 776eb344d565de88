import { randomUUID } from 'node:crypto';
import { AUDIT_EXPORTS_CONTAINER, upload } from '../audit/audit-export';
import { csvLine } from '../audit/verify/audit-csv';
import { sha256Hex } from '../audit/verify/audit-canonical';
import type { AuditActor } from '../audit/audit-types';
import type { ComplianceDeps } from './compliance-deps';
import type { EvidenceResponse } from './compliance-evidence-schemas';
import { renderCompliancePdf } from './compliance-evidence-pdf';
import type { ComplianceService } from './compliance-service';
import { ComplianceInputError } from './compliance-errors';
import type { Violation } from './compliance-types';
import { COMPLIANCE_DISCLAIMER, frameworks } from './framework-catalogue';
import { EVIDENCE_ALGORITHM_VERSION, EVIDENCE_MANIFEST_FORMAT } from './verify/evidence-manifest';

/** Violations one package carries at most (open and waived); beyond it the caller narrows the estate first. */
const MAX_VIOLATIONS = 50_000;

const VIOLATION_COLUMNS = [
  'id',
  'ruleId',
  'ruleTitle',
  'severity',
  'status',
  'scope',
  'resource',
  'vault',
  'subscriptionId',
  'firstSeen',
  'lastSeen',
  'evidence',
  'waiverReason',
  'waiverExpiresAt',
  'waivedBy',
] as const;

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
const cell = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function violationsCsv(violations: readonly Violation[]): string {
  let text = csvLine(VIOLATION_COLUMNS);
  for (const v of violations) {
    text += csvLine(
      [
        v.id,
        v.ruleId,
        v.ruleTitle,
        v.severity,
        v.status,
        v.resource.scope,
        v.resource.name,
        v.resource.vaultName,
        v.resource.subscriptionId,
        v.firstSeen,
        v.lastSeen,
        JSON.stringify(v.evidence),
        v.waiver?.reason ?? '',
        v.waiver?.expiresAt ?? '',
        v.waiver?.waivedBy ?? '',
      ].map(cell),
    );
  }
  return text;
}

async function allViolations(service: ComplianceService, status: 'open' | 'waived'): Promise<Violation[]> {
  const out: Violation[] = [];
  let token: string | undefined;
  do {
    const page = await service.listViolations({
      status,
      pageSize: 200,
      ...(token ? { continuationToken: token } : {}),
    });
    out.push(...page.violations);
    if (out.length > MAX_VIOLATIONS) throw new ComplianceInputError(`more than ${MAX_VIOLATIONS} violations`);
    token = page.continuationToken ?? undefined;
  } while (token);
  return out;
}

/**
 * The evidence package: evidence.json (score, per-framework control tables, open violations with evidence,
 * waivers, the audit chain head and latest checkpoint), violations.csv, rules.json and, for `pdf`, evidence.pdf
 * embedding the others; a manifest lists each file's SHA-256 and is signed like audit exports. Like an audit export,
 * the files and the manifest are written to the `audit-exports` container under a folder of their own (never
 * overwritten) and the export is recorded in the audit chain with that folder as its target, so the package can be
 * fetched again as it was generated.
 */
export async function buildEvidencePackage(
  deps: ComplianceDeps,
  service: ComplianceService,
  request: { readonly format: 'json' | 'pdf'; readonly actor: AuditActor },
): Promise<EvidenceResponse> {
  const audit = await deps.auditService();
  const [score, rules, open, waived, stats, checkpoints] = await Promise.all([
    service.score(),
    service.listRules(),
    allViolations(service, 'open'),
    allViolations(service, 'waived'),
    audit.stats(),
    audit.listCheckpoints(),
  ]);
  const details = await Promise.all(frameworks.map((f) => service.framework(f.id)));
  const now = deps.clock.now();
  const checkpoint = checkpoints.reduce<(typeof checkpoints)[number] | null>(
    (latest, c) => (!latest || c.checkpointSeq > latest.checkpointSeq ? c : latest),
    null,
  );
  const generatedBy = `${request.actor.type}:${request.actor.id}`;
  const auditChainHead = { seq: stats.headSeq, hash: stats.headHash };
  const auditCheckpoint = checkpoint
    ? {
        checkpointSeq: checkpoint.checkpointSeq,
        at: checkpoint.at,
        headSeq: checkpoint.headSeq,
        headHash: checkpoint.headHash,
        signature: checkpoint.signature.value,
      }
    : null;
  const evidence = {
    disclaimer: COMPLIANCE_DISCLAIMER,
    tenant: deps.tenant,
    scope: 'Azure Key Vaults and app registrations scanned by Keyward',
    generatedAt: now.toISOString(),
    generatedBy,
    score,
    frameworks: details,
    openViolations: open,
    waivers: waived,
    auditChainHead,
    auditCheckpoint,
  };
  const text = (name: string, contentType: string, body: string) => ({
    name,
    contentType,
    data: Buffer.from(body, 'utf8'),
  });
  const files = [
    text('evidence.json', 'application/json', JSON.stringify(evidence, null, 2) + '\n'),
    text('violations.csv', 'text/csv; charset=utf-8', violationsCsv([...open, ...waived])),
    text('rules.json', 'application/json', JSON.stringify(rules, null, 2) + '\n'),
  ];
  const listed = (list: readonly { name: string; contentType: string; data: Uint8Array }[]) =>
    list.map((f) => ({
      name: f.name,
      contentType: f.contentType,
      bytes: f.data.byteLength,
      sha256: sha256Hex(f.data),
    }));
  let all: { name: string; contentType: string; data: Uint8Array }[] = files;
  if (request.format === 'pdf') {
    const pdf = await renderCompliancePdf({
      tenant: deps.tenant,
      generatedAt: now,
      generatedBy,
      score,
      frameworks: details,
      open,
      waived,
      auditChainHead,
      auditCheckpoint,
      attachments: listed(files).map((a, i) => ({ ...a, data: files[i]?.data ?? new Uint8Array() })),
    });
    all = [...files, { name: 'evidence.pdf', contentType: 'application/pdf', data: Buffer.from(pdf) }];
  }
  const manifest = await deps.signManifest({
    format: EVIDENCE_MANIFEST_FORMAT,
    algorithmVersion: EVIDENCE_ALGORITHM_VERSION,
    tenant: deps.tenant.id,
    scope: evidence.scope,
    frameworks: frameworks.map((f) => f.id),
    scanId: score.scanId,
    score: score.score,
    generatedAt: now.toISOString(),
    generatedBy,
    auditChainHead,
    auditCheckpoint,
    attachments: listed(all),
  });
  // The audit export's layout (`exports/<time>-<id>/…`), under `compliance/` so the two kinds never mix.
  const folder = `compliance/${manifest.generatedAt.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const container = await deps.evidenceContainer();
  const blobs = {
    container: AUDIT_EXPORTS_CONTAINER,
    manifest: `${folder}/manifest.json`,
    files: all.map((f) => `${folder}/${f.name}`),
  };
  for (const f of all) await upload(container, `${folder}/${f.name}`, f.data, f.contentType);
  await upload(container, blobs.manifest, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), 'application/json');
  await deps.audit.append({
    actor: request.actor,
    action: 'compliance.evidence.exported',
    target: `${AUDIT_EXPORTS_CONTAINER}/${folder}`,
    outcome: 'success',
    details: {
      format: request.format,
      attachments: manifest.attachments.map((a) => `${a.name}:${a.sha256}`).join(' '),
    },
  });
  return {
    manifest: { ...manifest, frameworks: [...manifest.frameworks], attachments: [...manifest.attachments] },
    files: all.map((f) => ({
      name: f.name,
      contentType: f.contentType,
      encoding: f.contentType === 'application/pdf' ? 'base64' : 'utf8',
      content: Buffer.from(f.data).toString(f.contentType === 'application/pdf' ? 'base64' : 'utf8'),
    })),
    blobs,
  };
}
