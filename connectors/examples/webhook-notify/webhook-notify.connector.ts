import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError, defineConnector } from '../../../engine/connectors/connector.ts';

const configSchema = z.object({
  /** Where the JSON is posted, e.g. the intake of a ticket system or a chat webhook. */
  url: z.url({ protocol: /^https?$/, error: 'Bitte eine http- oder https-Adresse angeben.' }),
});

const notifyInput = z.object({
  /** What happened, e.g. `antrag.eingegangen`. */
  event: z.string().min(1).max(100),
  /** Fields the receiver needs; keep personal data out unless the receiver may have it. */
  data: z.record(z.string(), z.unknown()).default({}),
});
const notifyOutput = z.object({ status: z.int() });

/**
 * Example of an external connector (not built in; loaded with `CONNECTORS=./connectors/examples/webhook-notify/…`):
 * posts `{ event, data, caseId }` as JSON to a configured URL, with the idempotency key as `Idempotency-Key` header
 * and, when the secret `signingKey` is set, `X-Signature: sha256=<hex HMAC of the body>`.
 */
const webhookNotify = defineConnector({
  id: 'webhook-notify@1',
  title: 'Benachrichtigung per Webhook (Beispiel)',
  description: 'Sendet ein JSON-Ereignis an eine Adresse, z. B. an ein Ticketsystem.',
  config: configSchema,
  secrets: ['signingKey'],
  operations: {
    notify: {
      title: 'Ereignis senden',
      input: notifyInput,
      output: notifyOutput,
      // The receiver can recognise a repeat by its Idempotency-Key header, so the engine may retry.
      retry: 'safe',
      timeoutMs: 10_000,
      async run(input, ctx) {
        const body = JSON.stringify({ event: input.event, data: input.data, caseId: ctx.caseId });
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'idempotency-key': ctx.idempotencyKey,
        };
        const key = ctx.secret('signingKey');
        if (key) headers['x-signature'] = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
        let response: Response;
        try {
          response = await ctx.fetch(ctx.config.url, { method: 'POST', headers, body, signal: ctx.signal });
          await response.body?.cancel();
        } catch {
          // The engine aborted the call (timeout) or the receiver is unreachable: both may work on a later attempt.
          throw new ConnectorError(
            ctx.signal.aborted ? 'timeout' : 'unavailable',
            'Der Empfänger des Webhooks ist nicht erreichbar.',
            true,
          );
        }
        if (response.status >= 500 || response.status === 429) {
          throw new ConnectorError('server_error', `Der Empfänger meldet HTTP ${response.status}.`, true);
        }
        if (response.status >= 400) {
          throw new ConnectorError('rejected', `Der Empfänger hat abgelehnt (HTTP ${response.status}).`, false);
        }
        ctx.log.info('webhook-notify.sent', { status: response.status, attempt: ctx.attempt });
        return { status: response.status };
      },
    },
  },
});

export default webhookNotify;
