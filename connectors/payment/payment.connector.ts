import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  ConnectorError,
  defineConnector,
  type InboundMessage,
  type OperationDefinition,
} from '../../engine/connectors/connector.ts';
import { callJson, checkHealth, httpUrl, joinUrl } from '../shared/json-http.ts';
import { requireSecret } from '../shared/secret.ts';

const SYSTEM = 'Der Zahlungsanbieter';

/** How far a notification's timestamp may lie from our clock before it counts as replayed or forged. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const configSchema = z.object({
  baseUrl: httpUrl,
  currency: z.literal('EUR').default('EUR'),
});

/** Parsed configuration of `payment@1`. */
export type PaymentConfig = z.output<typeof configSchema>;

const paymentStatus = z.enum(['open', 'paid', 'cancelled', 'failed']);

/** A payment's state at the provider; only `paid` proves payment (the return URL does not). */
export type PaymentStatus = z.output<typeof paymentStatus>;

const createInput = z.object({
  amountCents: z.int().positive(),
  /** SEPA allows 140 characters of remittance information (Verwendungszweck). */
  purpose: z.string().min(1).max(140),
  /** Where the provider sends the citizen after paying; `null` (a case without a portal address) means none. */
  returnUrl: httpUrl.nullish(),
});
const createOutput = z.object({ paymentId: z.string().min(1), payUrl: httpUrl });

const statusInput = z.object({ paymentId: z.string().min(1) });
const statusOutput = z.object({ status: paymentStatus, requestId: z.string().min(1) });

const create: OperationDefinition<typeof createInput, typeof createOutput, PaymentConfig> = {
  title: 'Zahlung anlegen',
  input: createInput,
  output: createOutput,
  retry: 'safe',
  async run(input, ctx) {
    return callJson(
      {
        fetch: ctx.fetch,
        signal: ctx.signal,
        system: SYSTEM,
        method: 'POST',
        url: joinUrl(ctx.config.baseUrl, 'payments'),
        apiKey: requireSecret(ctx, 'apiKey'),
        idempotencyKey: ctx.idempotencyKey,
        body: {
          requestId: ctx.idempotencyKey,
          amountCents: input.amountCents,
          currency: ctx.config.currency,
          purpose: input.purpose,
          returnUrl: input.returnUrl ?? undefined,
        },
      },
      createOutput,
    );
  },
};

const status: OperationDefinition<typeof statusInput, typeof statusOutput, PaymentConfig> = {
  title: 'Zahlungsstatus abfragen',
  input: statusInput,
  output: statusOutput,
  retry: 'safe',
  async run(input, ctx) {
    return queryStatus(ctx, requireSecret(ctx, 'apiKey'), input.paymentId, ctx.signal, ctx.idempotencyKey);
  },
};

function queryStatus(
  ctx: { fetch: typeof fetch; config: PaymentConfig },
  apiKey: string,
  paymentId: string,
  signal: AbortSignal,
  idempotencyKey?: string,
): Promise<z.output<typeof statusOutput>> {
  return callJson(
    {
      fetch: ctx.fetch,
      signal,
      system: SYSTEM,
      method: 'GET',
      url: joinUrl(ctx.config.baseUrl, 'payments', paymentId),
      apiKey,
      idempotencyKey,
    },
    statusOutput,
  );
}

const notificationBody = z.object({ paymentId: z.string().min(1) });

/** Milliseconds the webhook may spend asking the provider for the real status. */
const WEBHOOK_STATUS_TIMEOUT_MS = 10_000;

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function unauthorized(reason: string): ConnectorError {
  return new ConnectorError('unauthorized', `Die Zahlungsbenachrichtigung wurde abgewiesen: ${reason}.`, false);
}

/**
 * Checks `x-signature` = hex HMAC-SHA512 of `${x-timestamp}.${body}` in constant time and rejects timestamps
 * more than {@link WEBHOOK_TOLERANCE_SECONDS} away from `nowSeconds`.
 */
export function verifyPaymentSignature(
  headers: Record<string, string>,
  body: string,
  secret: string,
  nowSeconds: number,
): void {
  const timestamp = header(headers, 'x-timestamp');
  const signature = header(headers, 'x-signature');
  if (timestamp === undefined || signature === undefined) throw unauthorized('Signatur oder Zeitstempel fehlt');
  if (!/^\d{1,12}$/.test(timestamp)) throw unauthorized('Zeitstempel ist ungültig');
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
    throw unauthorized('Zeitstempel liegt außerhalb des erlaubten Zeitfensters');
  }
  if (!/^[0-9a-f]{128}$/i.test(signature)) throw unauthorized('Signatur ist ungültig');
  const expected = createHmac('sha512', secret).update(`${timestamp}.${body}`).digest();
  if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) throw unauthorized('Signatur ist ungültig');
}

const finalMessages = {
  paid: 'payment.paid',
  cancelled: 'payment.cancelled',
  failed: 'payment.failed',
} as const;

/**
 * Online payment in the style of XBezahldienste / ePayBL: creates a payment under the case's idempotency key,
 * queries its status, and turns the provider's notification (only a hint) into a message after asking the provider.
 */
export const paymentConnector = defineConnector<PaymentConfig>({
  id: 'payment@1',
  title: 'Online-Bezahlung (XBezahldienste)',
  description:
    'Legt Zahlungen beim Zahlungsanbieter an, fragt ihren Status ab und nimmt signierte Zahlungsbenachrichtigungen entgegen.',
  config: configSchema,
  secrets: ['apiKey', 'webhookSecret'],
  operations: { create, status },
  health: (ctx) => checkHealth(ctx, SYSTEM, ctx.config.baseUrl),
  async webhook(request, ctx): Promise<InboundMessage> {
    verifyPaymentSignature(
      request.headers,
      request.body,
      requireSecret(ctx, 'webhookSecret'),
      Math.floor(Date.now() / 1000),
    );
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      json = undefined;
    }
    const notification = notificationBody.safeParse(json);
    if (!notification.success) {
      throw new ConnectorError('bad_request', 'Die Zahlungsbenachrichtigung enthält keine gültige Zahlungs-ID.', false);
    }
    const { paymentId } = notification.data;
    const current = await queryStatus(
      ctx,
      requireSecret(ctx, 'apiKey'),
      paymentId,
      AbortSignal.timeout(WEBHOOK_STATUS_TIMEOUT_MS),
    );
    if (current.status === 'open') {
      throw new ConnectorError('not_final', 'Die Zahlung ist laut Zahlungsanbieter noch offen.', false);
    }
    const caseId = current.requestId.split(':')[0] ?? '';
    if (caseId === '') {
      throw new ConnectorError('bad_response', `${SYSTEM} hat eine Zahlung ohne Vorgangsbezug gemeldet.`, false);
    }
    ctx.log.info('payment.webhook.accepted', { paymentStatus: current.status });
    return {
      caseId,
      message: finalMessages[current.status],
      data: { paymentId, paymentStatus: current.status },
      id: `${paymentId}:${current.status}`,
    };
  },
});
