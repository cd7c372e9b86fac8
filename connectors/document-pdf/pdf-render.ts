import PDFDocument from 'pdfkit';

/** The document kinds the engine can render; each has its own layout. */
export type TemplateName = 'urkunde' | 'bescheid' | 'bestaetigung';

/** Everything a rendered document shows. */
export type RenderRequest = {
  template: TemplateName;
  title: string;
  recipient?: string;
  lines: string[];
  /** Date of issue as `YYYY-MM-DD`: printed, and the PDF's creation date. */
  date?: string;
  /** The issuing authority, printed at the top. */
  issuer?: string;
};

type Layout = {
  align: 'left' | 'center';
  titleSize: number;
  /** Leaves room for a DIN 5008 address window (recipient at 45 mm from the top). */
  addressWindow: boolean;
  frame: boolean;
};

const layouts: Record<TemplateName, Layout> = {
  urkunde: { align: 'center', titleSize: 24, addressWindow: false, frame: true },
  bescheid: { align: 'left', titleSize: 14, addressWindow: true, frame: false },
  bestaetigung: { align: 'left', titleSize: 14, addressWindow: false, frame: false },
};

const MM = 72 / 25.4;
const MARGINS = { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM };
const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';

/**
 * Creation date when the input has no date. PDFKit writes the creation date into the file id and the metadata, so
 * it must come from the input, never the clock: the same input then renders to the same bytes.
 */
const DEFAULT_CREATION_DATE = new Date(Date.UTC(2000, 0, 1));

/** The characters beyond Latin-1 that the standard fonts' WinAnsi encoding has (€, „“, –, … and a few more). */
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c,
  0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

function encodable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code) || char === '\n';
}

/** Letters that Unicode does not decompose into a base letter plus accent, with the base letter a name keeps. */
const BASE_LETTERS: Record<string, string> = { ı: 'i', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H' };

/**
 * Maps text onto what the built-in Helvetica can show (German umlauts and ß included). Other letters lose their
 * accent (ř → r, ı → i) or become `?`, instead of silently turning into wrong glyphs.
 */
export function toWinAnsi(text: string): string {
  let result = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    if (encodable(char)) {
      result += char;
      continue;
    }
    const base = BASE_LETTERS[char] ?? [...char.normalize('NFKD')].filter(encodable).join('');
    if (base !== '') result += base;
    else if (!/\p{Cc}|\p{Cf}/u.test(char)) result += '?';
  }
  return result;
}

/** Renders a tagged, German-language PDF (PDF 1.7) with its title in the metadata; same input, same bytes. */
export function renderPdf(request: RenderRequest): Promise<Buffer> {
  const layout = layouts[request.template];
  const title = toWinAnsi(request.title);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'de-DE',
    displayTitle: true,
    bufferPages: true,
    font: FONT,
    info: {
      Title: request.title,
      Creator: 'Verfahrenswerk',
      Producer: 'Verfahrenswerk',
      CreationDate: request.date === undefined ? DEFAULT_CREATION_DATE : new Date(`${request.date}T00:00:00Z`),
    },
  });

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGINS.left - MARGINS.right;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const paragraph = (tag: string, text: string, font: string, size: number, align: 'left' | 'center' | 'right') => {
    root.add(
      doc.struct(tag, {}, () => {
        doc.font(font).fontSize(size).text(text, MARGINS.left, doc.y, { width, align });
      }),
    );
  };

  if (layout.frame) drawFrame(doc);
  if (request.issuer !== undefined) paragraph('P', toWinAnsi(request.issuer), FONT, 9, layout.align);
  if (request.date !== undefined && !layout.frame) {
    paragraph('P', `Datum: ${germanDate(request.date)}`, FONT, 9, 'right');
  }
  if (layout.addressWindow) doc.y = Math.max(doc.y, 45 * MM);
  else if (layout.frame) doc.y = Math.max(doc.y, 70 * MM);
  else doc.moveDown(2);
  if (request.recipient !== undefined) {
    const recipient = toWinAnsi(request.recipient);
    paragraph('P', layout.frame ? `für ${recipient}` : recipient, FONT, 11, layout.align);
    doc.moveDown(layout.addressWindow ? 4 : 1);
  }
  paragraph('H1', title, FONT_BOLD, layout.titleSize, layout.align);
  doc.moveDown(1);
  for (const line of request.lines) {
    if (line.trim() === '') {
      doc.moveDown(1);
      continue;
    }
    paragraph('P', toWinAnsi(line), FONT, 11, layout.align);
    doc.moveDown(0.5);
  }
  if (request.date !== undefined && layout.frame) {
    doc.moveDown(2);
    paragraph('P', `Ausgestellt am ${germanDate(request.date)}`, FONT, 11, layout.align);
  }
  root.end();
  numberPages(doc);
  doc.end();
  return done;
}

/** `2026-11-21` → `21.11.2026`. */
function germanDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  doc.markContent('Artifact', { type: 'Layout' });
  const inset = 12 * MM;
  doc
    .lineWidth(1.5)
    .rect(inset, inset, doc.page.width - 2 * inset, doc.page.height - 2 * inset)
    .stroke()
    .lineWidth(0.5)
    .rect(inset + 4, inset + 4, doc.page.width - 2 * inset - 8, doc.page.height - 2 * inset - 8)
    .stroke();
  doc.endMarkedContent();
}

/** "Seite x von y" at the bottom of every page, marked as a pagination artifact so screen readers skip it. */
function numberPages(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(FONT)
      .fontSize(8)
      .text(`Seite ${index + 1} von ${range.count}`, MARGINS.left, doc.page.height - 18 * MM, {
        width: doc.page.width - MARGINS.left - MARGINS.right,
        align: 'center',
        lineBreak: false,
      });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}

/** A file name from template and title: ASCII only (ä → ae), so every mail client and postbox accepts it. */
export function pdfFilename(template: TemplateName, title: string): string {
  const ascii = title
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60)
    .replace(/-+$/, '');
  return ascii === '' ? `${template}.pdf` : `${template}-${ascii}.pdf`;
}
