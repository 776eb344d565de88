import { PdfWriter, winAnsi } from '../audit/pdf-writer';
import type { FrameworkDetail, ScoreResponse, Violation } from './compliance-types';
import { COMPLIANCE_DISCLAIMER } from './framework-catalogue';

export interface CompliancePdfInput {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly generatedAt: Date;
  readonly generatedBy: string;
  readonly score: ScoreResponse;
  readonly frameworks: readonly FrameworkDetail[];
  readonly open: readonly Violation[];
  readonly waived: readonly Violation[];
  readonly auditChainHead: { readonly seq: number; readonly hash: string };
  readonly auditCheckpoint: { readonly checkpointSeq: number; readonly at: string; readonly headSeq: number } | null;
  readonly attachments: readonly {
    name: string;
    contentType: string;
    bytes: number;
    sha256: string;
    data: Uint8Array;
  }[];
}

/** Control tables and evidence use em dashes and ellipses: shown as ASCII stand-ins; U+2019 is WinAnsi's own. */
const LAYOUT = {
  margin: 50,
  encode: winAnsi({ keep: '\u2019', replace: { '\u2014': '-', '\u2026': '...' } }),
};
/** Violations listed in the PDF itself; all of them are in the attached CSV. */
const PDF_VIOLATIONS = 300;

/**
 * The compliance evidence PDF (pdf-lib, loaded on use like the audit PDF): cover, score and per-framework control
 * tables, open violations with evidence, waivers with reasons, the audit chain head and checkpoint, the SHA-256 of
 * each attachment (embedded byte for byte), and the customer management assertion page.
 */
export async function renderCompliancePdf(input: CompliancePdfInput): Promise<Uint8Array> {
  const { PDFDocument, AFRelationship } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const at = input.generatedAt;
  doc.setTitle(`Keyward compliance evidence ${at.toISOString()}`);
  doc.setAuthor('Keyward');
  doc.setCreator('Keyward');
  doc.setProducer('Keyward');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const w = await PdfWriter.create(doc, LAYOUT);

  w.title('Compliance evidence package');
  w.pair('Tenant', `${input.tenant.name} (${input.tenant.id})`);
  w.pair('Scope', 'Azure Key Vaults (vaults, secrets, keys, certificates), subscriptions and app registrations');
  w.pair('Frameworks', input.frameworks.map((f) => f.name).join('; '));
  w.pair('Generated', `${at.toISOString()} by ${input.generatedBy}`);
  w.pair('Evaluated scan', `${input.score.scanId ?? 'none yet'} (${input.score.evaluatedAt ?? '-'})`);
  w.pair('Audit chain head', `seq ${input.auditChainHead.seq}, ${input.auditChainHead.hash}`);
  w.pair(
    'Latest checkpoint',
    input.auditCheckpoint
      ? `#${input.auditCheckpoint.checkpointSeq} at ${input.auditCheckpoint.at} (head seq ${input.auditCheckpoint.headSeq})`
      : 'none yet',
  );
  for (const a of input.attachments) w.pair(a.name, `SHA-256 ${a.sha256} (${a.bytes} bytes, attached)`);
  w.gap();
  w.paragraph(COMPLIANCE_DISCLAIMER);
  w.paragraph(
    'Verify the package with: keyward-verify-evidence <package.json> --public-key <file> (the answer of ' +
      'GET /api/audit/public-key). The manifest is signed by the audit Key Vault key like audit exports; its audit ' +
      'chain head and checkpoint tie it to the audit trail.',
  );

  w.newPage();
  w.title('Score');
  const s = input.score;
  w.pair(
    'Overall',
    `${s.score ?? '-'} / 100 (passed ${s.passed}, failed ${s.failed}, waived ${s.waived}, not evaluated ${s.notEvaluated})`,
  );
  for (const [severity, c] of Object.entries(s.bySeverity))
    w.pair(severity, `passed ${c.passed}, failed ${c.failed}, waived ${c.waived}, not evaluated ${c.notEvaluated}`);
  for (const f of input.frameworks) {
    w.heading(`${f.name} — ${f.score ?? '-'} / 100`);
    for (const c of f.controlDetails)
      w.pair(
        `${c.id}  ${c.status.toUpperCase()}  (${c.evidenceType})`,
        `${c.title} — rules: ${c.rules.map((r) => r.id).join(', ') || 'none'}`,
      );
  }

  w.newPage();
  w.title(`Open violations (${input.open.length})`);
  for (const v of input.open.slice(0, PDF_VIOLATIONS))
    w.pair(
      `${v.severity.toUpperCase()} ${v.ruleId}`,
      `${v.resource.name} — first seen ${v.firstSeen} — ${JSON.stringify(v.evidence)}`,
    );
  if (input.open.length > PDF_VIOLATIONS)
    w.paragraph(`… ${input.open.length - PDF_VIOLATIONS} more in violations.csv.`);
  w.heading(`Waivers (${input.waived.length})`);
  for (const v of input.waived.slice(0, PDF_VIOLATIONS))
    w.pair(
      `${v.ruleId}`,
      `${v.resource.name} — "${v.waiver?.reason ?? ''}" until ${v.waiver?.expiresAt ?? '-'} by ${v.waiver?.waivedBy ?? '-'}`,
    );

  w.newPage();
  w.title('Customer management assertion');
  w.paragraph(
    `Management of ${input.tenant.name} is responsible for the design and operation of controls over its Azure Key ` +
      'Vaults and app registration credentials, and for the completeness of the estate Keyward was given access to scan.',
  );
  w.paragraph(
    `Management asserts that the attached results (evaluated scan ${s.scanId ?? '-'}) reflect the configuration of ` +
      'that estate at the time of the scan, that waivers listed were approved for the reasons given, and that ' +
      'controls marked "customer" are met by means outside Keyward.',
  );
  w.paragraph(
    'This assertion is provided for an examination or review under the AICPA attestation standards (AT-C 105 and ' +
      'AT-C 205). Keyward provides technical evidence; it certifies nothing.',
  );
  w.gap();
  for (const label of ['Name', 'Title', 'Signature', 'Date']) w.signatureLine(label);

  const attachment = { creationDate: at, modificationDate: at, afRelationship: AFRelationship.Data };
  for (const a of input.attachments)
    await doc.attach(a.data, a.name, {
      ...attachment,
      mimeType: a.contentType.split(';')[0] ?? a.contentType,
      description: `${a.name}, verbatim`,
    });
  return doc.save();
}
