import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { germanPage, PAGE_HEADERS } from '../shared/counterpart-page.ts';
import {
  badRequest,
  type HttpDoubleOptions as CounterpartOptions,
  type DoubleRequest as CounterpartRequest,
  type DoubleResponse as CounterpartResponse,
  type HttpDouble as CounterpartServer,
  escapeHtml,
  hasBearer,
  notFoundResponse,
  parseJsonBody,
  startHttpDouble as startCounterpartServer,
  unauthorizedResponse,
} from '../shared/http-counterpart.ts';

/** Options of the payment provider counterpart. */
export type PaymentCounterpartOptions = CounterpartOptions & {
  /** Expected bearer token; default `test-key`. */
  apiKey?: string;
  /** When set together with `webhookSecret`, every payment that becomes final is notified there (like the provider). */
  notifyUrl?: string;
  webhookSecret?: string;
  /**
   * Waits before the provider repeats a notification the engine did not answer with 2xx (it was down, could not ask
   * for the status, or the case did not wait yet); default 1 s, 2 s, 5 s, 10 s, 30 s, 60 s, then it gives up.
   */
  notifyRetryDelaysMs?: readonly number[];
};

/** A payment as the provider keeps it. */
export type CounterpartPayment = {
  paymentId: string;
  requestId: string;
  amountCents: number;
  currency: string;
  purpose: string;
  returnUrl?: string;
  status: 'open' | 'paid' | 'cancelled' | 'failed';
};

/** Answer of the engine's webhook endpoint to one notification. */
export type NotificationResult = { paymentId: string; status: number; body: string };

/** The running payment provider counterpart with its inspection API. */
export type PaymentCounterpart = CounterpartServer & {
  /** requestId → payments created for it; idempotency holds while every value is 1. */
  effects: ReadonlyMap<string, number>;
  /** How many create requests arrived for a requestId, replays included. */
  requests(requestId: string): number;
  payment(paymentId: string): CounterpartPayment | undefined;
  /** Marks the payment paid (as if the citizen paid) and notifies `notifyUrl` when configured. */
  pay(paymentId: string): Promise<void>;
  cancel(paymentId: string): Promise<void>;
  fail(paymentId: string): Promise<void>;
  /** POSTs a signed notification `{ paymentId }` once (no repeats); `timestamp` (unix seconds) defaults to now. */
  notify(
    paymentId: string,
    targetUrl: string,
    secret: string,
    options?: { timestamp?: number },
  ): Promise<NotificationResult>;
  /** Every notification sent so far, automatic ones and their repeats included. */
  notifications: readonly NotificationResult[];
  /** From now on, notify `targetUrl` whenever a payment becomes final (the engine's URL is often known only later). */
  notifyOnChange(targetUrl: string, secret: string): void;
  /** Automatic notifications still waiting for a repeat. */
  pendingRepeats(): number;
};

/** Headers of a notification signed like the provider does: hex HMAC-SHA512 over `${timestamp}.${body}`. */
export function signNotification(body: string, secret: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha512', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'x-timestamp': String(timestamp), 'x-signature': signature };
}

const createBody = z.object({
  requestId: z.string().min(1),
  amountCents: z.int().positive(),
  currency: z.literal('EUR'),
  purpose: z.string().min(1),
  returnUrl: z.url().optional(),
});

const DEFAULT_REPEATS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

/**
 * Starts an XBezahldienste-like payment provider on 127.0.0.1: payments deduplicated by requestId, a pay page with
 * pay and cancel buttons, the status query API, and signed notifications that are repeated until answered with 2xx.
 */
export async function startPaymentCounterpart(options: PaymentCounterpartOptions = {}): Promise<PaymentCounterpart> {
  const apiKey = options.apiKey ?? 'test-key';
  const repeats = options.notifyRetryDelaysMs ?? DEFAULT_REPEATS;
  const payments = new Map<string, CounterpartPayment>();
  const byRequestId = new Map<string, CounterpartPayment>();
  const effects = new Map<string, number>();
  const requestCounts = new Map<string, number>();
  const notifications: NotificationResult[] = [];
  const repeatTimers = new Set<NodeJS.Timeout>();
  let closed = false;
  let sequence = 0;
  let baseUrl = '';
  let target =
    options.notifyUrl !== undefined && options.webhookSecret !== undefined
      ? { url: options.notifyUrl, secret: options.webhookSecret }
      : undefined;

  const view = (payment: CounterpartPayment) => ({
    ...payment,
    payUrl: `${baseUrl}/pay/${payment.paymentId}`,
  });

  async function notify(
    paymentId: string,
    targetUrl: string,
    secret: string,
    notifyOptions: { timestamp?: number } = {},
  ): Promise<NotificationResult> {
    const body = JSON.stringify({ paymentId });
    const timestamp = notifyOptions.timestamp ?? Math.floor(Date.now() / 1000);
    let result: NotificationResult;
    try {
      const response = await fetch(targetUrl, {
        method: 'POST',
        headers: signNotification(body, secret, timestamp),
        body,
        signal: AbortSignal.timeout(10_000),
      });
      result = { paymentId, status: response.status, body: await response.text() };
    } catch (error) {
      result = { paymentId, status: 0, body: String(error) };
    }
    notifications.push(result);
    return result;
  }

  /** Notifies the target, freshly signed each time, until it answers 2xx or the repeats are used up. */
  async function notifyUntilAcknowledged(paymentId: string, attempt = 0): Promise<void> {
    if (target === undefined || closed) return;
    const result = await notify(paymentId, target.url, target.secret);
    const delay = repeats[attempt];
    if ((result.status >= 200 && result.status < 300) || delay === undefined || closed) return;
    const timer = setTimeout(() => {
      repeatTimers.delete(timer);
      void notifyUntilAcknowledged(paymentId, attempt + 1);
    }, delay);
    repeatTimers.add(timer);
  }

  async function settle(paymentId: string, status: 'paid' | 'cancelled' | 'failed'): Promise<CounterpartPayment> {
    const payment = payments.get(paymentId);
    if (payment === undefined) throw new Error(`unknown payment ${paymentId}`);
    if (payment.status !== 'open') throw new Error(`payment ${paymentId} is already ${payment.status}`);
    payment.status = status;
    await notifyUntilAcknowledged(paymentId);
    return payment;
  }

  function createPayment(request: CounterpartRequest): CounterpartResponse {
    const parsed = createBody.safeParse(parseJsonBody(request.body));
    if (!parsed.success) return badRequest('Ungültige Zahlungsanfrage');
    const input = parsed.data;
    requestCounts.set(input.requestId, (requestCounts.get(input.requestId) ?? 0) + 1);
    const existing = byRequestId.get(input.requestId);
    if (existing !== undefined) {
      const same =
        existing.amountCents === input.amountCents &&
        existing.currency === input.currency &&
        existing.purpose === input.purpose &&
        existing.returnUrl === input.returnUrl;
      if (!same) return { status: 409, json: { error: 'requestId wurde mit anderen Daten verwendet' } };
      return { status: 200, json: view(existing) };
    }
    sequence += 1;
    const payment: CounterpartPayment = {
      paymentId: `pay-${String(sequence).padStart(6, '0')}`,
      requestId: input.requestId,
      amountCents: input.amountCents,
      currency: input.currency,
      purpose: input.purpose,
      returnUrl: input.returnUrl,
      status: 'open',
    };
    payments.set(payment.paymentId, payment);
    byRequestId.set(payment.requestId, payment);
    effects.set(payment.requestId, (effects.get(payment.requestId) ?? 0) + 1);
    return { status: 201, json: view(payment) };
  }

  async function confirmOnPage(paymentId: string, status: 'paid' | 'cancelled'): Promise<CounterpartResponse> {
    const payment = payments.get(paymentId);
    if (payment === undefined) return html(404, 'Zahlung nicht gefunden', '');
    if (payment.status !== 'open') {
      return html(409, 'Zahlung bereits abgeschlossen', statusText(payment));
    }
    await settle(paymentId, status);
    if (payment.returnUrl !== undefined) return { status: 303, headers: { location: payment.returnUrl } };
    const title = status === 'paid' ? 'Zahlung erfolgreich' : 'Zahlung abgebrochen';
    return html(200, title, '<p>Sie können dieses Fenster schließen.</p>');
  }

  async function handle(request: CounterpartRequest): Promise<CounterpartResponse> {
    const parts = request.path.split('/').filter((part) => part !== '');
    const [resource, id, action] = parts.map((part) => decodeURIComponent(part));
    if (request.method === 'GET' && resource === 'health' && parts.length === 1) {
      return { status: 200, json: { status: 'ok' } };
    }
    if (resource === 'pay' && id !== undefined) {
      if (request.method === 'GET' && parts.length === 2) return payPage(payments.get(id));
      if (request.method === 'POST' && action === 'confirm') return confirmOnPage(id, 'paid');
      if (request.method === 'POST' && action === 'cancel') return confirmOnPage(id, 'cancelled');
      return notFoundResponse;
    }
    if (resource !== 'payments') return notFoundResponse;
    if (!hasBearer(request, apiKey)) return unauthorizedResponse;
    if (request.method === 'POST' && parts.length === 1) return createPayment(request);
    if (request.method === 'GET' && id !== undefined && parts.length === 2) {
      const payment = payments.get(id);
      return payment === undefined ? notFoundResponse : { status: 200, json: view(payment) };
    }
    return notFoundResponse;
  }

  const server = await startCounterpartServer(handle, options);
  baseUrl = server.url;
  return {
    ...server,
    effects,
    requests: (requestId) => requestCounts.get(requestId) ?? 0,
    payment: (paymentId) => payments.get(paymentId),
    pay: async (paymentId) => {
      await settle(paymentId, 'paid');
    },
    cancel: async (paymentId) => {
      await settle(paymentId, 'cancelled');
    },
    fail: async (paymentId) => {
      await settle(paymentId, 'failed');
    },
    notify,
    notifications,
    notifyOnChange(targetUrl, secret) {
      target = { url: targetUrl, secret };
    },
    pendingRepeats: () => repeatTimers.size,
    async close() {
      closed = true;
      for (const timer of repeatTimers) clearTimeout(timer);
      repeatTimers.clear();
      await server.close();
    },
  };
}

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

const STATUS_LABELS: Record<CounterpartPayment['status'], string> = {
  open: 'offen',
  paid: 'bezahlt',
  cancelled: 'abgebrochen',
  failed: 'fehlgeschlagen',
};

function statusText(payment: CounterpartPayment): string {
  return `<p>Status: ${STATUS_LABELS[payment.status]}</p>`;
}

function payPage(payment: CounterpartPayment | undefined): CounterpartResponse {
  if (payment === undefined) return html(404, 'Zahlung nicht gefunden', '');
  if (payment.status !== 'open') {
    return html(200, 'Zahlung bereits abgeschlossen', statusText(payment));
  }
  const id = encodeURIComponent(payment.paymentId);
  return html(
    200,
    'Zahlung',
    `<dl>
  <dt>Verwendungszweck</dt><dd>${escapeHtml(payment.purpose)}</dd>
  <dt>Betrag</dt><dd>${escapeHtml(euro.format(payment.amountCents / 100))}</dd>
</dl>
<form method="post" action="/pay/${id}/confirm"><button type="submit">Bezahlen</button></form>
<form method="post" action="/pay/${id}/cancel"><button type="submit">Abbrechen</button></form>`,
    formTargets(payment),
  );
}

function page(title: string, content: string): string {
  return germanPage(title, content, 'Testzahlungsanbieter');
}

/**
 * The pay page's forms may lead back to the payment's return URL: browsers apply `form-action` to the redirect
 * after a form is sent, so the page allows that origin besides its own.
 */
function formTargets(payment: CounterpartPayment): string[] {
  return payment.returnUrl === undefined ? [] : [new URL(payment.returnUrl).origin];
}

/** An HTML answer with the page headers; `formTargets` are origins its forms may be redirected to. */
function html(status: number, title: string, content: string, formTargets: string[] = []): CounterpartResponse {
  const headers = { ...PAGE_HEADERS };
  if (formTargets.length > 0) {
    headers['content-security-policy'] = headers['content-security-policy']!.replace(
      "form-action 'self'",
      `form-action 'self' ${formTargets.join(' ')}`,
    );
  }
  return { status, html: page(title, content), headers };
}
