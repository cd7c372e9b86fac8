import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPaymentSignature } from './payment.connector.ts';
import { type PaymentCounterpart, startPaymentCounterpart } from './payment.counterpart.ts';

const auth = { authorization: 'Bearer test-key', 'content-type': 'application/json' };

let double: PaymentCounterpart;

beforeEach(async () => {
  double = await startPaymentCounterpart();
});

afterEach(async () => {
  await double.close();
});

async function createPayment(body: Record<string, unknown>, headers: Record<string, string> = auth) {
  const response = await fetch(`${double.url}/payments`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const request = {
  requestId: 'case-1:pay:1',
  amountCents: 1250,
  currency: 'EUR',
  purpose: 'Geburtsurkunde <Kopie>',
  returnUrl: 'https://portal.example/antrag/fertig',
};

/** A local endpoint that records what the provider posts to it, like the engine's webhook route. */
async function startReceiver(statuses: number[] = []) {
  const calls: { headers: Record<string, string>; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      calls.push({ headers, body });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver not listening');
  return {
    url: `http://127.0.0.1:${address.port}/api/webhooks/payment`,
    calls,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('payment counterpart API', () => {
  it('answers 401 without the API key and 400 for a malformed payment', async () => {
    expect((await createPayment(request, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await createPayment({ ...request, amountCents: -1 })).status).toBe(400);
    expect(double.effects.size).toBe(0);
  });

  it('creates a payment once per requestId and answers 409 for changed data', async () => {
    const first = await createPayment(request);
    const replay = await createPayment(request);
    expect(first.status).toBe(201);
    expect(replay).toEqual({ status: 200, json: first.json });
    expect((await createPayment({ ...request, amountCents: 1 })).status).toBe(409);
    expect(double.effects.get(request.requestId)).toBe(1);
    expect(double.requests(request.requestId)).toBe(3);
  });

  it('reports a payment by id and 404 for an unknown one', async () => {
    const { json } = await createPayment(request);
    const response = await fetch(`${double.url}/payments/${String(json.paymentId)}`, { headers: auth });
    expect(await response.json()).toMatchObject({ status: 'open', requestId: request.requestId });
    expect((await fetch(`${double.url}/payments/pay-unbekannt`, { headers: auth })).status).toBe(404);
  });

  it('fails on demand: 500, dropped connection, then normal again', async () => {
    double.failNext(1, '500');
    double.failNext(1, 'reset');
    expect((await fetch(`${double.url}/health`)).status).toBe(500);
    await expect(fetch(`${double.url}/health`)).rejects.toThrow();
    expect((await fetch(`${double.url}/health`)).status).toBe(200);
  });
});

describe('payment counterpart pay page', () => {
  it('shows a German page with amount, escaped purpose and both buttons', async () => {
    const { json } = await createPayment(request);
    const response = await fetch(String(json.payUrl));
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('lang="de"');
    expect(html).toContain('12,50');
    expect(html).toContain('Geburtsurkunde &#60;Kopie&#62;');
    expect(html).toMatch(/<form method="post" action="\/pay\/pay-000001\/confirm"><button[^>]*>Bezahlen<\/button>/);
    expect(html).toMatch(/action="\/pay\/pay-000001\/cancel"><button[^>]*>Abbrechen<\/button>/);
    // Browsers check form-action on the redirect after the form: the page allows the return URL's origin.
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self' https://portal.example;");
  });

  it('pays on "Bezahlen", sends the citizen back and notifies the engine with a valid signature', async () => {
    const receiver = await startReceiver();
    try {
      double.notifyOnChange(receiver.url, 'webhook-geheim');
      const { json } = await createPayment(request);
      const paymentId = String(json.paymentId);
      const response = await fetch(`${double.url}/pay/${paymentId}/confirm`, { method: 'POST', redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(request.returnUrl);
      expect(double.payment(paymentId)?.status).toBe('paid');
      expect(receiver.calls).toHaveLength(1);
      const call = receiver.calls[0]!;
      expect(JSON.parse(call.body)).toEqual({ paymentId });
      expect(() =>
        verifyPaymentSignature(call.headers, call.body, 'webhook-geheim', Math.floor(Date.now() / 1000)),
      ).not.toThrow();
      expect(double.notifications).toEqual([{ paymentId, status: 200, body: 'ok' }]);
    } finally {
      await receiver.close();
    }
  });

  it('cancels on "Abbrechen" and refuses a second decision', async () => {
    const { json } = await createPayment({ ...request, returnUrl: undefined });
    const paymentId = String(json.paymentId);
    const cancelled = await fetch(`${double.url}/pay/${paymentId}/cancel`, { method: 'POST' });
    expect(await cancelled.text()).toContain('Zahlung abgebrochen');
    expect(double.payment(paymentId)?.status).toBe('cancelled');
    expect((await fetch(`${double.url}/pay/${paymentId}/confirm`, { method: 'POST' })).status).toBe(409);
    await expect(double.pay(paymentId)).rejects.toThrow('already cancelled');
  });

  it('signs a notification with an explicit timestamp for replay tests', async () => {
    const receiver = await startReceiver();
    try {
      await double.notify('pay-000042', receiver.url, 's3cret', { timestamp: 1_700_000_000 });
      const call = receiver.calls[0]!;
      expect(call.headers['x-timestamp']).toBe('1700000000');
      expect(call.headers['x-signature']).toMatch(/^[0-9a-f]{128}$/);
      expect(() => verifyPaymentSignature(call.headers, call.body, 's3cret', 1_700_000_000)).not.toThrow();
      expect(() => verifyPaymentSignature(call.headers, call.body, 's3cret', 1_700_000_400)).toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('repeats an automatic notification, freshly signed, until the engine answers 2xx', async () => {
    await double.close();
    double = await startPaymentCounterpart({ notifyRetryDelaysMs: [20, 20, 20] });
    const receiver = await startReceiver([503, 409]);
    try {
      double.notifyOnChange(receiver.url, 'webhook-geheim');
      const { json } = await createPayment(request);
      await double.pay(String(json.paymentId));
      for (let i = 0; i < 200 && double.notifications.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(double.notifications.map((n) => n.status)).toEqual([503, 409, 200]);
      expect(double.pendingRepeats()).toBe(0);
      for (const call of receiver.calls) {
        expect(() =>
          verifyPaymentSignature(call.headers, call.body, 'webhook-geheim', Math.floor(Date.now() / 1000)),
        ).not.toThrow();
      }
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the last repeat and stops repeating when closed', async () => {
    await double.close();
    double = await startPaymentCounterpart({ notifyRetryDelaysMs: [10] });
    const receiver = await startReceiver([500, 500, 500]);
    try {
      double.notifyOnChange(receiver.url, 's');
      const first = await createPayment(request);
      await double.pay(String(first.json.paymentId));
      for (let i = 0; i < 200 && double.notifications.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(double.notifications.map((n) => n.status)).toEqual([500, 500]);
      expect(double.pendingRepeats()).toBe(0);
      const second = await createPayment({ ...request, requestId: 'case-2:pay:1' });
      await double.pay(String(second.json.paymentId));
      expect(double.pendingRepeats()).toBe(1);
      await double.close();
      expect(double.pendingRepeats()).toBe(0);
      double = await startPaymentCounterpart();
    } finally {
      await receiver.close();
    }
  });
});
