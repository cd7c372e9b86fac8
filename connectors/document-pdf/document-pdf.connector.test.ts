import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runOperation, testContext } from '../shared/test-context.ts';
import { documentConnector } from './document-pdf.connector.ts';
import { pdfFilename, toWinAnsi } from './pdf-render.ts';

const bescheid = {
  template: 'bescheid',
  title: 'Bescheid über die Hundesteuer',
  recipient: 'Jörg Müller\nHauptstraße 1\n12345 Musterstadt',
  lines: ['Sehr geehrter Herr Müller,', '', 'für Ihren Hund „Bello“ setzen wir 96,00 € Steuer fest – jährlich.'],
  date: '2026-11-21',
};

type Rendered = { filename: string; contentType: string; contentBase64: string };

async function render(input: unknown, config: unknown = { issuer: 'Stadt Musterstadt – Steueramt' }) {
  const ctx = testContext(documentConnector, { config, idempotencyKey: 'case-5:render:1' });
  return (await runOperation(documentConnector, 'render', input, ctx)) as Rendered;
}

/** Text shown by the PDF: the hex strings of every (deflated) content stream, decoded as WinAnsi ≈ Latin-1. */
function shownText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let text = '';
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const array of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(array[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((part) => part[1]).join('');
      text += `${Buffer.from(hex, 'hex').toString('latin1')}\n`;
    }
  }
  return text;
}

describe('document-pdf@1 render', () => {
  it('renders a PDF 1.7 with German umlauts, euro sign and typographic quotes', async () => {
    const result = await render(bescheid);
    expect(result.contentType).toBe('application/pdf');
    expect(result.filename).toBe('bescheid-bescheid-ueber-die-hundesteuer.pdf');
    const pdf = Buffer.from(result.contentBase64, 'base64');
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const text = shownText(pdf);
    expect(text).toContain('Bescheid über die Hundesteuer');
    expect(text).toContain('Jörg Müller');
    expect(text).toContain('Hauptstraße 1');
    expect(text).toContain('Stadt Musterstadt');
    expect(text).toContain('Datum: 21.11.2026');
    expect(text).toContain('Seite 1 von 1');
    // WinAnsi puts „ at 0x84, “ at 0x93, – at 0x96 and € at 0x80.
    expect(text).toContain('\x84Bello\x93');
    expect(text).toContain('96,00 \x80');
  });

  it('declares German language, the title and tagged structure', async () => {
    const pdf = Buffer.from((await render(bescheid)).contentBase64, 'base64').toString('latin1');
    expect(pdf).toContain('/Lang (de-DE)');
    expect(pdf).toContain('/Marked true');
    expect(pdf).toContain('/StructTreeRoot');
    expect(pdf).toContain('/DisplayDocTitle true');
    const titleUtf16 = Buffer.from(`\ufeffBescheid über die Hundesteuer`, 'utf16le').swap16().toString('latin1');
    expect(pdf).toContain(`(${titleUtf16})`);
  });

  it('renders the same bytes for the same input, and other bytes for other input', async () => {
    const first = await render(bescheid);
    const second = await render(bescheid);
    expect(second.contentBase64).toBe(first.contentBase64);
    const otherDate = await render({ ...bescheid, date: '2026-11-22' });
    expect(otherDate.contentBase64).not.toBe(first.contentBase64);
  });

  it('renders every template, also without recipient, date or issuer', async () => {
    for (const template of ['urkunde', 'bescheid', 'bestaetigung']) {
      const result = await render({ template, title: 'Geburtsurkunde', lines: ['Erika Muster'] }, {});
      const text = shownText(Buffer.from(result.contentBase64, 'base64'));
      expect(text).toContain('Geburtsurkunde');
      expect(text).toContain('Erika Muster');
    }
  });

  it('numbers the pages of a long document', async () => {
    const lines = Array.from({ length: 120 }, (_, index) => `Begründung, Absatz ${index + 1}.`);
    const result = await render({ ...bescheid, lines });
    const text = shownText(Buffer.from(result.contentBase64, 'base64'));
    const pages = Number(/Seite 1 von (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Seite ${pages} von ${pages}`);
    expect(text).toContain('Begründung, Absatz 120.');
  });

  it('rejects unknown templates and bad dates', async () => {
    await expect(render({ ...bescheid, template: 'brief' })).rejects.toThrow();
    await expect(render({ ...bescheid, date: '21.11.2026' })).rejects.toThrow();
  });
});

describe('toWinAnsi', () => {
  it('keeps German text and maps other letters onto what Helvetica can show', () => {
    expect(toWinAnsi('Grüße aus Öhringen – „Straße“ 12 €')).toBe('Grüße aus Öhringen – „Straße“ 12 €');
    expect(toWinAnsi('Dvořák, Łódź 中')).toBe('Dvorák, Lódz ?');
    expect(toWinAnsi('Ayşe Yılmaz, İzmir')).toBe('Ayse Yilmaz, Izmir');
    expect(toWinAnsi('Mu\u0308ller\r\nZeile\tzwei\u0007')).toBe('Müller\nZeile zwei');
  });
});

describe('pdfFilename', () => {
  it('makes an ASCII file name from template and title', () => {
    expect(pdfFilename('urkunde', 'Geburtsurkunde für Jörg Groß')).toBe('urkunde-geburtsurkunde-fuer-joerg-gross.pdf');
    expect(pdfFilename('bestaetigung', '中文')).toBe('bestaetigung.pdf');
  });
});
