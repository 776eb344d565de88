import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';

/** A4 in points. */
export const A4: [number, number] = [595.28, 841.89];

export interface PdfWriterOptions {
  /** Space left on every side of the page, in points. */
  readonly margin: number;
  /** Turns text into what the standard fonts can draw (see `winAnsi`); pdf-lib throws on anything else. */
  readonly encode: (text: string) => string;
}

/**
 * The standard fonts encode WinAnsi only. Text keeps printable ASCII and the characters in `keep`; `replace` first
 * maps characters to ASCII stand-ins (an em dash to '-'); whatever is left is shown as '?'.
 */
export function winAnsi(
  options: { readonly keep?: string; readonly replace?: Readonly<Record<string, string>> } = {},
): (text: string) => string {
  const others = new RegExp(`[^\\x20-\\x7e${options.keep ?? ''}]`, 'gu');
  const replace = Object.entries(options.replace ?? {});
  return (text) => replace.reduce((t, [from, to]) => t.split(from).join(to), text).replace(others, '?');
}

/**
 * Top-down text layout with word wrap for the evidence PDFs (audit exports and compliance packages): titles,
 * headings, label/value pairs, paragraphs and signature lines, starting a new page when one is full. pdf-lib is
 * loaded by `create`, not at module top, to keep cold start light.
 */
export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private readonly width: number;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly options: PdfWriterOptions,
  ) {
    this.width = A4[0] - 2 * options.margin;
    this.newPage();
  }

  /** A writer on a new first page of `doc`, with Helvetica and Helvetica Bold embedded. */
  static async create(doc: PDFDocument, options: PdfWriterOptions): Promise<PdfWriter> {
    const { StandardFonts } = await import('pdf-lib');
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    return new PdfWriter(doc, regular, bold, options);
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - this.options.margin;
  }

  title(text: string): void {
    this.room(40);
    this.page.drawText(this.options.encode(text), {
      x: this.options.margin,
      y: this.y - 16,
      size: 16,
      font: this.bold,
    });
    this.y -= 38;
  }

  heading(text: string): void {
    this.y -= 6;
    this.line(this.options.encode(text), this.options.margin, 11, this.bold);
  }

  pair(label: string, value: string): void {
    const { margin, encode } = this.options;
    this.room(12);
    this.page.drawText(encode(label), { x: margin, y: this.y, size: 8, font: this.bold });
    for (const l of this.wrap(encode(value), 8, this.width - 110)) this.line(l, margin + 110, 8, this.regular);
    this.y -= 2;
  }

  paragraph(text: string): void {
    for (const l of this.wrap(this.options.encode(text), 9, this.width))
      this.line(l, this.options.margin, 9, this.regular);
    this.y -= 6;
  }

  signatureLine(label: string): void {
    const { margin, encode } = this.options;
    this.room(36);
    this.page.drawText(`${encode(label)}:`, { x: margin, y: this.y, size: 10, font: this.bold });
    this.page.drawLine({
      start: { x: margin + 70, y: this.y - 2 },
      end: { x: margin + 330, y: this.y - 2 },
      thickness: 0.5,
    });
    this.y -= 36;
  }

  gap(): void {
    this.y -= 10;
  }

  private room(height: number): void {
    if (this.y - height < this.options.margin) this.newPage();
  }

  private line(text: string, x: number, size: number, font: PDFFont): void {
    this.room(size + 4);
    this.page.drawText(text, { x, y: this.y, size, font });
    this.y -= size + 4;
  }

  private wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.regular.widthOfTextAtSize(candidate, size) <= width || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
    }
    if (current) lines.push(current);
    // A single word wider than the line (a hash, a JSON blob) is cut rather than drawn off the page.
    return lines.flatMap((l) =>
      this.regular.widthOfTextAtSize(l, size) <= width ? [l] : chunk(l, Math.floor(width / (size * 0.5))),
    );
  }
}

function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
