import { z } from 'zod';
import { ConnectorError, defineConnector, type OperationDefinition } from '../../engine/connectors/connector.ts';
import { pdfFilename, renderPdf } from './pdf-render.ts';

const configSchema = z.object({
  /** The authority printed at the top of every document, e.g. "Stadt Musterstadt – Standesamt". */
  issuer: z.string().min(1).max(200).optional(),
});

/** Parsed configuration of `document-pdf@1`. */
export type DocumentConfig = z.output<typeof configSchema>;

const renderInput = z.object({
  template: z.enum(['urkunde', 'bescheid', 'bestaetigung']),
  title: z.string().min(1).max(200),
  /** Name and postal address, one line per address line. */
  recipient: z.string().min(1).max(500).optional(),
  /** One paragraph each; an empty string leaves a blank line. */
  lines: z.array(z.string().max(10_000)).max(1000),
  /** Date of issue (`YYYY-MM-DD`), printed and used as the PDF's creation date; the clock is never read. */
  date: z.iso.date().optional(),
});
const renderOutput = z.object({
  filename: z.string().min(1),
  contentType: z.literal('application/pdf'),
  contentBase64: z.base64(),
});

const render: OperationDefinition<typeof renderInput, typeof renderOutput, DocumentConfig> = {
  title: 'PDF erzeugen',
  input: renderInput,
  output: renderOutput,
  retry: 'safe',
  async run(input, ctx) {
    if (ctx.signal.aborted) {
      throw new ConnectorError('timeout', 'Die PDF-Erzeugung wurde wegen Zeitüberschreitung abgebrochen.', true);
    }
    const pdf = await renderPdf({ ...input, issuer: ctx.config.issuer });
    return {
      filename: pdfFilename(input.template, input.title),
      contentType: 'application/pdf',
      contentBase64: pdf.toString('base64'),
    };
  },
};

/** Renders certificates (Urkunden), notices (Bescheide) and confirmations as accessible PDFs, in process. */
export const documentConnector = defineConnector<DocumentConfig>({
  id: 'document-pdf@1',
  title: 'Dokumenterzeugung (PDF)',
  description: 'Erzeugt Urkunden, Bescheide und Bestätigungen als barrierearme PDF-Dateien, ohne externes System.',
  config: configSchema,
  operations: { render },
});
