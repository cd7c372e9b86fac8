import { z } from 'zod';
import { defineConnector, type OperationDefinition } from '../../engine/connectors/connector.ts';
import { callJson, checkHealth, httpUrl, joinUrl } from '../shared/json-http.ts';
import { requireSecret } from '../shared/secret.ts';

const SYSTEM = 'Das Bürgerpostfach';

const configSchema = z.object({ baseUrl: httpUrl });

/** Parsed configuration of `postbox@1`. */
export type PostboxConfig = z.output<typeof configSchema>;

const attachment = z.object({
  filename: z.string().min(1).max(255),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'Bitte einen MIME-Typ wie application/pdf angeben.'),
  contentBase64: z.base64(),
});

const deliverInput = z.object({
  /** The postbox address of the citizen or organisation (e.g. a BundID postbox reference). */
  recipient: z.string().min(1),
  subject: z.string().min(1).max(255),
  body: z.string(),
  attachments: z.array(attachment).optional(),
});
const deliverOutput = z.object({ messageId: z.string().min(1) });

const statusInput = z.object({ messageId: z.string().min(1) });
const statusOutput = z.object({ status: z.enum(['delivered', 'read', 'failed']) });

const deliver: OperationDefinition<typeof deliverInput, typeof deliverOutput, PostboxConfig> = {
  title: 'Nachricht zustellen',
  input: deliverInput,
  output: deliverOutput,
  retry: 'safe',
  run(input, ctx) {
    return callJson(
      {
        fetch: ctx.fetch,
        signal: ctx.signal,
        system: SYSTEM,
        method: 'POST',
        url: joinUrl(ctx.config.baseUrl, 'messages'),
        apiKey: requireSecret(ctx, 'apiKey'),
        idempotencyKey: ctx.idempotencyKey,
        body: input,
      },
      deliverOutput,
    );
  },
};

const status: OperationDefinition<typeof statusInput, typeof statusOutput, PostboxConfig> = {
  title: 'Zustellstatus abfragen',
  input: statusInput,
  output: statusOutput,
  retry: 'safe',
  run(input, ctx) {
    return callJson(
      {
        fetch: ctx.fetch,
        signal: ctx.signal,
        system: SYSTEM,
        method: 'GET',
        url: joinUrl(ctx.config.baseUrl, 'messages', input.messageId),
        apiKey: requireSecret(ctx, 'apiKey'),
        idempotencyKey: ctx.idempotencyKey,
      },
      statusOutput,
    );
  },
};

/** Delivers messages and notices (Bescheide) into the citizen's postbox (Bürgerpostfach / BundID postbox). */
export const postboxConnector = defineConnector<PostboxConfig>({
  id: 'postbox@1',
  title: 'Bürgerpostfach',
  description: 'Stellt Nachrichten und Bescheide mit Anhängen in das Postfach der antragstellenden Person zu.',
  config: configSchema,
  secrets: ['apiKey'],
  operations: { deliver, status },
  health: (ctx) => checkHealth(ctx, SYSTEM, ctx.config.baseUrl),
});
