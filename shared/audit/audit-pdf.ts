import type { PDFFont, PDFPage } from 'pdf-lib';
import type { AuditManifest } from './verify/audit-manifest';

export interface EvidencePdfInput {
  readonly csv: Uint8Array;
  readonly manifest: AuditManifest;
  /** Display name of the customer's tenant for the cover and the assertion. */
  readonly tenantName: string;
  readonly generatedAt: Date;
}

const PAGE: [number, number] = [595.28, 841.89]; // A4 in points
const MARGIN = 56;

/**
 * The evidence bundle: a cover page describing the export, a customer management assertion page (AT-C 105
 * style, for the customer's management to sign), and the CSV and manifest attached verbatim as embedded files
 * (PDF/A-3 associated files), so the PDF carries the very bytes whose SHA-256 the cover prints.
 * pdf-lib is loaded here, not at module top, to keep cold start light.
 */
export async function renderEvidencePdf(input: EvidencePdfInput): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, AFRelationship } = await import('pdf-lib');
  const { manifest, generatedAt } = input;
  const doc = await PDFDocument.create();
  doc.setTitle(`Keyward audit evidence ${manifest.range.from} to ${manifest.range.to}`);
  doc.setAuthor('Keyward');
  doc.setCreator('Keyward');
  doc.setProducer('Keyward');
  doc.setSubject('Hash-chained audit trail export with signed manifest');
  doc.setCreationDate(generatedAt);
  doc.setModificationDate(generatedAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  const cover = new PageWriter(doc.addPage(PAGE), regular, bold);
  cover.title('Audit trail evidence bundle');
  cover.pair('Tenant', `${input.tenantName} (${manifest.tenant})`);
  cover.pair('Scope', manifest.scope);
  cover.pair('Range (UTC)', `${manifest.range.from}  to  ${manifest.range.to} (end exclusive)`);
  cover.pair('Rows', String(manifest.rowCount));
  cover.pair(
    'Sequence',
    manifest.firstSeq === null ? 'no entries in range' : `${manifest.firstSeq} to ${String(manifest.lastSeq)}`,
  );
  cover.pair('First hash', manifest.firstHash ?? '-');
  cover.pair('Last hash', manifest.lastHash ?? '-');
  cover.pair('Chain head', `seq ${manifest.chainHeadSeq}, ${manifest.chainHeadHash}`);
  cover.pair('CSV file', `${manifest.csvFileName} (attached)`);
  cover.pair('CSV SHA-256', manifest.csvSha256);
  cover.pair(
    'Algorithm',
    `keyward-audit version ${manifest.algorithmVersion}: SHA-256 chain, ${manifest.signature.algorithm} manifest signature`,
  );
  cover.pair(
    'Signing key',
    `${manifest.signature.keyId}${'keyVaultKeyId' in manifest.signature ? ` (${manifest.signature.keyVaultKeyId})` : ''}`,
  );
  // Base64 has no spaces to wrap at: shown in groups of 64 characters.
  cover.pair('Manifest signature', (manifest.signature.value.match(/.{1,64}/g) ?? []).join(' '));
  cover.pair('Generated', `${manifest.generatedAt} by ${manifest.generatedBy}`);
  cover.gap();
  cover.paragraph(
    'The CSV and its signed manifest are attached to this PDF as embedded files, byte for byte. To verify them, ' +
      'save both attachments and the public key (GET /api/audit/public-key, or from Key Vault with az keyvault key ' +
      'download) and run: keyward-verify-audit audit.csv manifest.json --public-key <public key file>. ' +
      'The algorithm is specified in docs/audit.md so that an independent verifier can be written.',
  );

  const assertion = new PageWriter(doc.addPage(PAGE), regular, bold);
  assertion.title('Customer management assertion');
  assertion.paragraph(
    `Management of ${input.tenantName} is responsible for the completeness and accuracy of the audit trail of ` +
      `changes to its credential monitoring configuration and operations recorded by Keyward, and for the ` +
      `controls over access to that trail and to the key that signs its exports.`,
  );
  assertion.paragraph(
    `Management asserts that the attached export covers every audit entry recorded between ${manifest.range.from} ` +
      `and ${manifest.range.to} (rows ${manifest.rowCount}, CSV SHA-256 ${manifest.csvSha256}), that no entry was ` +
      `altered or removed, and that the signing key was held in Azure Key Vault and used only by Keyward.`,
  );
  assertion.paragraph(
    'This assertion is provided for an examination or review under the AICPA attestation standards (AT-C 105 and ' +
      'AT-C 205). Keyward provides the technical evidence; the assertion is management\u2019s, and Keyward holds no ' +
      'certification of its own.',
  );
  assertion.gap();
  for (const label of ['Name', 'Title', 'Signature', 'Date']) assertion.signatureLine(label);

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

/** Top-down text layout with word wrap on one page. */
class PageWriter {
  private y: number;
  private readonly width: number;

  constructor(
    private readonly page: PDFPage,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.y = page.getHeight() - MARGIN;
    this.width = page.getWidth() - 2 * MARGIN;
  }

  title(text: string): void {
    this.page.drawText(winAnsi(text), { x: MARGIN, y: this.y - 18, size: 18, font: this.bold });
    this.y -= 44;
  }

  pair(label: string, value: string): void {
    this.page.drawText(winAnsi(label), { x: MARGIN, y: this.y, size: 9, font: this.bold });
    for (const line of this.wrap(winAnsi(value), 8, this.width - 100)) {
      this.page.drawText(line, { x: MARGIN + 100, y: this.y, size: 8, font: this.regular });
      this.y -= 12;
    }
    this.y -= 4;
  }

  paragraph(text: string): void {
    for (const line of this.wrap(winAnsi(text), 10, this.width)) {
      this.page.drawText(line, { x: MARGIN, y: this.y, size: 10, font: this.regular });
      this.y -= 14;
    }
    this.y -= 8;
  }

  signatureLine(label: string): void {
    this.page.drawText(`${label}:`, { x: MARGIN, y: this.y, size: 10, font: this.bold });
    this.page.drawLine({
      start: { x: MARGIN + 70, y: this.y - 2 },
      end: { x: MARGIN + 330, y: this.y - 2 },
      thickness: 0.5,
    });
    this.y -= 36;
  }

  gap(): void {
    this.y -= 12;
  }

  private wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (this.regular.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }
}

/** The standard fonts encode WinAnsi only; anything else would throw, so it is shown as '?'. */
function winAnsi(text: string): string {
  return text.replace(/[^\x20-\x7e\u2019]/g, '?');
}
