import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../engine/connectors/connector.ts';
import { runOperation, testContext } from '../shared/test-context.ts';
import { paymentConnector } from './payment.connector.ts';
import { type PaymentCounterpart, signNotification, startPaymentCounterpart } from './payment.counterpart.ts';

const secrets = { apiKey: 'test-key', webhookSecret: 'geheim-123' };
const key = 'case-7f3a:await-payment:1';

let double: PaymentCounterpart;

beforeEach(async () => {
  double = await startPaymentCounterpart({ slowMs: 400 });
});

afterEach(async () => {
  await double.close();
});

function ctx(options: { idempotencyKey?: string; signal?: AbortSignal; secrets?: Record<string, string> } = {}) {
  return testContext(paymentConnector, {
    config: { baseUrl: double.url },
    secrets: options.secrets ?? secrets,
    idempotencyKey: options.idempotencyKey ?? key,
    signal: options.signal,
  });
}

const create = (input: unknown, context = ctx()) => runOperation(paymentConnector, 'create', input, context);
const status = (paymentId: string, context = ctx()) => runOperation(paymentConnector, 'status', { paymentId }, context);

function webhookRequest(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  return { headers: signNotification(body, secret, timestamp), body };
}

function webhook(request: { headers: Record<string, string>; body: string }) {
  const { signal: _signal, ...context } = ctx();
  return paymentConnector.webhook!(request, context);
}

describe('payment@1 create and status', () => {
  it('creates one payment per idempotency key, however often it is called', async () => {
    const input = { amountCents: 1250, purpose: 'Geburtsurkunde', returnUrl: 'https://portal.example/fertig' };
    const first = await create(input);
    const second = await create(input);
    expect(first).toEqual(second);
    expect(first).toMatchObject({ paymentId: expect.any(String), payUrl: expect.stringContaining('/pay/') });
    expect(double.effects.get(key)).toBe(1);
    expect(double.requests(key)).toBe(2);
    expect(double.payment((first as { paymentId: string }).paymentId)).toMatchObject({
      requestId: key,
      amountCents: 1250,
      currency: 'EUR',
      status: 'open',
    });
  });

  it('creates a second payment for another idempotency key', async () => {
    const one = await create({ amountCents: 500, purpose: 'Gebühr' });
    const other = await create({ amountCents: 500, purpose: 'Gebühr' }, ctx({ idempotencyKey: 'case-2:pay:1' }));
    expect(one).not.toEqual(other);
    expect([...double.effects.values()]).toEqual([1, 1]);
  });

  it('reports the status the provider holds, with the request id', async () => {
    const { paymentId } = (await create({ amountCents: 900, purpose: 'Hundesteuer' })) as { paymentId: string };
    expect(await status(paymentId)).toEqual({ status: 'open', requestId: key });
    await double.pay(paymentId);
    expect(await status(paymentId)).toEqual({ status: 'paid', requestId: key });
  });

  it('rejects input the provider would refuse before calling it', async () => {
    await expect(create({ amountCents: 0, purpose: 'x' })).rejects.toThrow();
    await expect(create({ amountCents: 100, purpose: 'x', returnUrl: 'javascript:alert(1)' })).rejects.toThrow();
    expect(double.effects.size).toBe(0);
  });

  it('maps a 5xx answer to a retryable error and succeeds on the retry', async () => {
    double.failNext(1, '500');
    await expect(create({ amountCents: 100, purpose: 'x' })).rejects.toMatchObject({
      name: 'ConnectorError',
      code: 'server_error',
      retryable: true,
    });
    await expect(create({ amountCents: 100, purpose: 'x' })).resolves.toMatchObject({ paymentId: 'pay-000001' });
    expect(double.effects.get(key)).toBe(1);
  });

  it('maps a dropped connection to a retryable error', async () => {
    double.failNext(1, 'reset');
    await expect(create({ amountCents: 100, purpose: 'x' })).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
  });

  it('maps a wrong API key (401) to a non-retryable error', async () => {
    await expect(
      create({ amountCents: 100, purpose: 'x' }, ctx({ secrets: { ...secrets, apiKey: 'falsch' } })),
    ).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
  });

  it('maps reuse of a request id with other data (409) to a non-retryable error', async () => {
    await create({ amountCents: 100, purpose: 'x' });
    await expect(create({ amountCents: 200, purpose: 'x' })).rejects.toMatchObject({
      code: 'conflict',
      retryable: false,
    });
    expect(double.effects.get(key)).toBe(1);
  });

  it('fails without the API key secret, not retryable', async () => {
    await expect(create({ amountCents: 100, purpose: 'x' }, ctx({ secrets: {} }))).rejects.toMatchObject({
      code: 'missing_secret',
      retryable: false,
    });
  });

  it('turns an abort into a retryable timeout, and the retry still yields one payment', async () => {
    double.failNext(1, 'slow');
    const error = await create({ amountCents: 100, purpose: 'x' }, ctx({ signal: AbortSignal.timeout(50) })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    const retried = await create({ amountCents: 100, purpose: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(double.requests(key)).toBe(2);
    expect(double.effects.get(key)).toBe(1);
    expect(await create({ amountCents: 100, purpose: 'x' })).toEqual(retried);
  });
});

describe('payment@1 webhook', () => {
  async function paidPayment(): Promise<string> {
    const { paymentId } = (await create({ amountCents: 1250, purpose: 'Geburtsurkunde' })) as { paymentId: string };
    await double.pay(paymentId);
    return paymentId;
  }

  it('accepts a notification the provider sends over HTTP and asks the provider for the status', async () => {
    const paymentId = await paidPayment();
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
        received.push({ headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    if (address === null || typeof address === 'string') throw new Error('receiver not listening');
    try {
      const result = await double.notify(paymentId, `http://127.0.0.1:${address.port}/webhook`, secrets.webhookSecret);
      expect(result.status).toBe(204);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
    expect(received).toHaveLength(1);
    const message = await webhook(received[0]!);
    expect(message).toEqual({
      caseId: 'case-7f3a',
      message: 'payment.paid',
      data: { paymentId, paymentStatus: 'paid' },
      id: `${paymentId}:paid`,
    });
  });

  it('reports a cancelled and a failed payment', async () => {
    const { paymentId } = (await create({ amountCents: 1, purpose: 'a' })) as { paymentId: string };
    await double.cancel(paymentId);
    await expect(webhook(webhookRequest(JSON.stringify({ paymentId }), secrets.webhookSecret))).resolves.toMatchObject({
      message: 'payment.cancelled',
      data: { paymentStatus: 'cancelled' },
    });
    const other = (await create({ amountCents: 1, purpose: 'b' }, ctx({ idempotencyKey: 'case-9:pay:2' }))) as {
      paymentId: string;
    };
    await double.fail(other.paymentId);
    await expect(
      webhook(webhookRequest(JSON.stringify({ paymentId: other.paymentId }), secrets.webhookSecret)),
    ).resolves.toEqual({
      caseId: 'case-9',
      message: 'payment.failed',
      data: { paymentId: other.paymentId, paymentStatus: 'failed' },
      id: `${other.paymentId}:failed`,
    });
  });

  it('rejects a signature made with another secret', async () => {
    const paymentId = await paidPayment();
    await expect(webhook(webhookRequest(JSON.stringify({ paymentId }), 'anderes-geheimnis'))).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false,
    });
  });

  it('rejects a body changed after signing', async () => {
    const paymentId = await paidPayment();
    const request = webhookRequest(JSON.stringify({ paymentId }), secrets.webhookSecret);
    await expect(webhook({ ...request, body: JSON.stringify({ paymentId: 'pay-999999' }) })).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('rejects timestamps more than five minutes old or ahead, and accepts them just inside', async () => {
    const paymentId = await paidPayment();
    const body = JSON.stringify({ paymentId });
    const now = Math.floor(Date.now() / 1000);
    await expect(webhook(webhookRequest(body, secrets.webhookSecret, now - 301))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(webhook(webhookRequest(body, secrets.webhookSecret, now + 301))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(webhook(webhookRequest(body, secrets.webhookSecret, now - 290))).resolves.toMatchObject({
      message: 'payment.paid',
    });
  });

  it('rejects missing or malformed signature headers', async () => {
    const paymentId = await paidPayment();
    const body = JSON.stringify({ paymentId });
    const signed = webhookRequest(body, secrets.webhookSecret);
    await expect(webhook({ headers: {}, body })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(webhook({ headers: { ...signed.headers, 'x-signature': 'abc' }, body })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(webhook({ headers: { ...signed.headers, 'x-timestamp': '12e3' }, body })).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('does not report a payment that is still open', async () => {
    const { paymentId } = (await create({ amountCents: 1, purpose: 'a' })) as { paymentId: string };
    await expect(webhook(webhookRequest(JSON.stringify({ paymentId }), secrets.webhookSecret))).rejects.toMatchObject({
      code: 'not_final',
      retryable: false,
    });
  });

  it('rejects a signed body without a payment id, and an id the provider does not know', async () => {
    await expect(webhook(webhookRequest('{"foo":1}', secrets.webhookSecret))).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(
      webhook(webhookRequest(JSON.stringify({ paymentId: 'pay-404' }), secrets.webhookSecret)),
    ).rejects.toMatchObject({ code: 'not_found', retryable: false });
  });
});

describe('payment@1 health', () => {
  it('is healthy while the provider answers and unhealthy when it is gone', async () => {
    const { signal, config, secret, fetch, log, tenantId } = ctx();
    const healthContext = { signal, config, secret, fetch, log, tenantId };
    await expect(paymentConnector.health!(healthContext)).resolves.toEqual({ ok: true });
    await double.close();
    const result = await paymentConnector.health!(healthContext);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('nicht erreichbar');
    double = await startPaymentCounterpart();
  });
});
