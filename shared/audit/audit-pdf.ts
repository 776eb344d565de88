import { PdfWriter, winAnsi } from './pdf-writer';
import type { AuditManifest } from './verify/audit-manifest';

export interface EvidencePdfInput {
  readonly csv: Uint8Array;
  readonly manifest: AuditManifest;
  /** Display name of the customer's tenant for the cover and the assertion. */
  readonly tenantName: string;
  readonly generatedAt: Date;
}

/** The audit PDF keeps U+2019 (WinAnsi has it) for the assertion's "management’s". */
const LAYOUT = { margin: 56, encode: winAnsi({ keep: '\u2019' }) };

/**
 * The evidence bundle: a cover page describing the export, a customer management assertion page (AT-C 105
 * style, for the customer's management to sign), and the CSV and manifest attached verbatim as embedded files
 * (PDF/A-3 associated files), so the PDF carries the very bytes whose SHA-256 the cover prints.
 * pdf-lib is loaded here, not at module top, to keep cold start light.
 */
export async function renderEvidencePdf(input: EvidencePdfInput): Promise<Uint8Array> {
  const { PDFDocument, AFRelationship } = await import('pdf-lib');
  const { manifest, generatedAt } = input;
  const doc = await PDFDocument.create();
  doc.setTitle(`Keyward audit evidence ${manifest.range.from} to ${manifest.range.to}`);
  doc.setAuthor('Keyward');
  doc.setCreator('Keyward');
  doc.setProducer('Keyward');
  doc.setSubject('Hash-chained audit trail export with signed manifest');
  doc.setCreationDate(generatedAt);
  doc.setModificationDate(generatedAt);
  const w = await PdfWriter.create(doc, LAYOUT);
  w.title('Audit trail evidence bundle');
  w.pair('Tenant', `${input.tenantName} (${manifest.tenant})`);
  w.pair('Scope', manifest.scope);
  w.pair('Range (UTC)', `${manifest.range.from}  to  ${manifest.range.to} (end exclusive)`);
  w.pair('Rows', String(manifest.rowCount));
  w.pair(
    'Sequence',
    manifest.firstSeq === null ? 'no entries in range' : `${manifest.firstSeq} to ${String(manifest.lastSeq)}`,
  );
  w.pair('First hash', manifest.firstHash ?? '-');
  w.pair('Last hash', manifest.lastHash ?? '-');
  w.pair('Chain head', `seq ${manifest.chainHeadSeq}, ${manifest.chainHeadHash}`);
  w.pair('CSV file', `${manifest.csvFileName} (attached)`);
  w.pair('CSV SHA-256', manifest.csvSha256);
  w.pair(
    'Algorithm',
    `keyward-audit version ${manifest.algorithmVersion}: SHA-256 chain, ${manifest.signature.algorithm} manifest signature`,
  );
  w.pair(
    'Signing key',
    `${manifest.signature.keyId}${'keyVaultKeyId' in manifest.signature ? ` (${manifest.signature.keyVaultKeyId})` : ''}`,
  );
  // Base64 has no spaces to wrap at: shown in groups of 64 characters.
  w.pair('Manifest signature', (manifest.signature.value.match(/.{1,64}/g) ?? []).join(' '));
  w.pair('Generated', `${manifest.generatedAt} by ${manifest.generatedBy}`);
  w.gap();
  w.paragraph(
    'The CSV and its signed manifest are attached to this PDF as embedded files, byte for byte. To verify them, ' +
      'save both attachments and the public key (GET /api/audit/public-key, or from Key Vault with az keyvault key ' +
      'download) and run: keyward-verify-audit audit.csv manifest.json --public-key <public key file>. ' +
      'The algorithm is specified in docs/audit.md so that an independent verifier can be written.',
  );

  w.newPage();
  w.title('Customer management assertion');
  w.paragraph(
    `Management of ${input.tenantName} is responsible for the completeness and accuracy of the audit trail of ` +
      `changes to its credential monitoring configuration and operations recorded by Keyward, and for the ` +
      `controls over access to that trail and to the key that signs its exports.`,
  );
  w.paragraph(
    `Management asserts that the attached export covers every audit entry recorded between ${manifest.range.from} ` +
      `and ${manifest.range.to} (rows ${manifest.rowCount}, CSV SHA-256 ${manifest.csvSha256}), that no entry was ` +
      `altered or removed, and that the signing key was held in Azure Key Vault and used only by Keyward.`,
  );
  w.paragraph(
    'This assertion is provided for an examination or review under the AICPA attestation standards (AT-C 105 and ' +
      'AT-C 205). Keyward provides the technical evidence; the assertion is management\u2019s, and Keyward holds no ' +
      'certification of its own.',
  );
  w.gap();
  for (const label of ['Name', 'Title', 'Signature', 'Date']) w.signatureLine(label);

  const attachment = { creationDate: generatedAt, modificationDate: generatedAt, afRelationship: AFRelationship.Data };
  await doc.attach(input.csv, manifest.csvFileName, {
    ...attachment,
    mimeType: 'text/csv',
    description: 'Audit rows, verbatim',
  });
  await doc.attach(new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'), 'manifest.json', {
    ...attachment,
    mimeType: 'application/json',
    description: 'HMAC-signed manifest of the CSV',
  });
  return doc.save();
}
