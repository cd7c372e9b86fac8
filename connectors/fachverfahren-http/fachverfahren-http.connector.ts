import { z } from 'zod';
import {
  type ConnectorDefinition,
  defineConnector,
  type OperationDefinition,
} from '../../engine/connectors/connector.ts';
import { callJson, checkHealth, httpUrl, joinUrl } from '../shared/json-http.ts';
import { requireSecret } from '../shared/secret.ts';
import { loadXmlTemplate, renderXmlMessage, templateRef, validateXmlMessage } from './xml-message.ts';

const SYSTEM = 'Das Fachverfahren';

const configSchema = z.object({ baseUrl: httpUrl });

/** Parsed configuration of `fachverfahren-http@1`. */
export type FachverfahrenConfig = z.output<typeof configSchema>;

const sendInput = z
  .object({
    /** What the back office should do with the payload, e.g. `geburtsurkunde.antrag`. */
    messageType: z.string().min(1).max(200),
    payload: z.record(z.string(), z.unknown()),
    /**
     * Wire format, chosen by the procedure per step: `json` (default) sends the payload as it is; `xml` renders it
     * with `template` into an XÖV-style message and checks it against the template's XSD before sending.
     */
    format: z.enum(['json', 'xml']).default('json'),
    /** XML template `<procedure>/<name>`, e.g. `hundeanmeldung/hundesteuer-anmeldung`; required for `xml`. */
    template: templateRef.optional(),
  })
  .refine((input) => input.format !== 'xml' || input.template !== undefined, {
    message: 'Für das Format „xml“ bitte eine Vorlage angeben.',
    path: ['template'],
  });
const sendOutput = z.object({
  reference: z.string().min(1),
  /** What the back office answers besides its reference, e.g. the booked pickup date. */
  answer: z.record(z.string(), z.unknown()).optional(),
});

const lookupInput = z.object({
  register: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Registername: Buchstaben, Ziffern, _ und -.'),
  query: z.record(z.string(), z.union([z.string(), z.number()])),
});
const lookupOutput = z.object({
  found: z.boolean(),
  matches: z.int().nonnegative(),
  record: z.record(z.string(), z.unknown()).nullable(),
});

const lookup: OperationDefinition<typeof lookupInput, typeof lookupOutput, FachverfahrenConfig> = {
  title: 'Im Register nachschlagen',
  input: lookupInput,
  output: lookupOutput,
  retry: 'safe',
  run(input, ctx) {
    return callJson(
      {
        fetch: ctx.fetch,
        signal: ctx.signal,
        system: SYSTEM,
        method: 'POST',
        url: joinUrl(ctx.config.baseUrl, 'lookup', input.register),
        apiKey: requireSecret(ctx, 'apiKey'),
        idempotencyKey: ctx.idempotencyKey,
        body: { query: input.query },
      },
      lookupOutput,
    );
  },
};

function sendOperation(xmlCatalog: URL): OperationDefinition<typeof sendInput, typeof sendOutput, FachverfahrenConfig> {
  return {
    title: 'Nachricht an das Fachverfahren senden',
    input: sendInput,
    output: sendOutput,
    retry: 'safe',
    async run(input, ctx) {
      const call = {
        fetch: ctx.fetch,
        signal: ctx.signal,
        system: SYSTEM,
        method: 'POST' as const,
        apiKey: requireSecret(ctx, 'apiKey'),
        idempotencyKey: ctx.idempotencyKey,
      };
      if (input.format === 'xml' && input.template !== undefined) {
        const template = await loadXmlTemplate(xmlCatalog, input.template);
        const xml = renderXmlMessage(template.template, {
          payload: input.payload,
          messageType: input.messageType,
          idempotencyKey: ctx.idempotencyKey,
        });
        await validateXmlMessage(xml, template, ctx.signal);
        const query = new URLSearchParams({ messageType: input.messageType });
        return callJson({ ...call, url: `${joinUrl(ctx.config.baseUrl, 'messages')}?${query}`, xml }, sendOutput);
      }
      return callJson(
        {
          ...call,
          url: joinUrl(ctx.config.baseUrl, 'messages'),
          body: { messageType: input.messageType, idempotencyKey: ctx.idempotencyKey, payload: input.payload },
        },
        sendOutput,
      );
    },
  };
}

/** Where the built-in connector finds XML templates: `workflows/<procedure>/xml/` of this project. */
const WORKFLOWS_FOLDER = new URL('../../workflows/', import.meta.url);

/**
 * Builds the Fachverfahren connector; `xmlCatalog` is the folder holding `<procedure>/xml/<name>.template.json` and
 * the XSDs the templates name (default: this project's `workflows/`).
 */
export function createFachverfahrenHttpConnector(
  options: { xmlCatalog: URL } = { xmlCatalog: WORKFLOWS_FOLDER },
): ConnectorDefinition<FachverfahrenConfig> {
  return defineConnector<FachverfahrenConfig>({
    id: 'fachverfahren-http@1',
    title: 'Fachverfahren (HTTP)',
    description:
      'Übergibt Antragsdaten als JSON oder als XML-Nachricht (XÖV-Stil, gegen ein XSD geprüft) an ein Fachverfahren und fragt Register ab, etwa das Personenstandsregister.',
    config: configSchema,
    secrets: ['apiKey'],
    operations: { send: sendOperation(options.xmlCatalog), lookup },
    health: (ctx) => checkHealth(ctx, SYSTEM, ctx.config.baseUrl),
  });
}

/** Generic HTTP link to a back-office system (Fachverfahren): hands over applications and looks up registers. */
export const fachverfahrenHttpConnector = createFachverfahrenHttpConnector();
