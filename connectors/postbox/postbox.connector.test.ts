import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOperation, testContext } from '../shared/test-context.ts';
import { postboxConnector } from './postbox.connector.ts';
import { type PostboxCounterpart, startPostboxCounterpart } from './postbox.counterpart.ts';

const key = 'case-1:notify-citizen:1';
const message = {
  recipient: 'bundid:4711',
  subject: 'Ihr Bescheid zur Hundesteuer',
  body: 'Guten Tag, anbei erhalten Sie Ihren Bescheid.',
  attachments: [
    {
      filename: 'bescheid.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.7').toString('base64'),
    },
  ],
};

let double: PostboxCounterpart;

beforeEach(async () => {
  double = await startPostboxCounterpart({ slowMs: 300 });
});

afterEach(async () => {
  await double.close();
});

function ctx(options: { idempotencyKey?: string; signal?: AbortSignal; apiKey?: string } = {}) {
  return testContext(postboxConnector, {
    config: { baseUrl: `${double.url}/` },
    secrets: { apiKey: options.apiKey ?? 'test-key' },
    idempotencyKey: options.idempotencyKey ?? key,
    signal: options.signal,
  });
}

const deliver = (input: unknown, context = ctx()) => runOperation(postboxConnector, 'deliver', input, context);

describe('postbox@1', () => {
  it('delivers a message with attachment once per idempotency key', async () => {
    const first = await deliver(message);
    const again = await deliver(message);
    expect(again).toEqual(first);
    expect(double.deliveries(key)).toBe(1);
    expect(double.requests(key)).toBe(2);
    expect(double.messages).toHaveLength(1);
    expect(double.messages[0]).toMatchObject({ ...message, idempotencyKey: key, status: 'delivered' });
  });

  it('reports the delivery status', async () => {
    const { messageId } = (await deliver(message)) as { messageId: string };
    const status = () => runOperation(postboxConnector, 'status', { messageId }, ctx());
    expect(await status()).toEqual({ status: 'delivered' });
    double.setStatus(messageId, 'read');
    expect(await status()).toEqual({ status: 'read' });
  });

  it('rejects an attachment that is not base64 before sending', async () => {
    const broken = { ...message, attachments: [{ ...message.attachments[0], contentBase64: 'kein base64!' }] };
    await expect(deliver(broken)).rejects.toThrow();
    expect(double.messages).toHaveLength(0);
  });

  it('maps 5xx to retryable and 4xx to non-retryable errors', async () => {
    double.failNext(1, '500');
    await expect(deliver(message)).rejects.toMatchObject({ code: 'server_error', retryable: true });
    await expect(deliver(message, ctx({ apiKey: 'falsch' }))).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false,
    });
    await expect(runOperation(postboxConnector, 'status', { messageId: 'msg-unbekannt' }, ctx())).rejects.toMatchObject(
      { code: 'not_found', retryable: false },
    );
  });

  it('turns an abort into a retryable timeout', async () => {
    double.failNext(1, 'slow');
    await expect(deliver(message, ctx({ signal: AbortSignal.timeout(50) }))).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    await deliver(message);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(double.deliveries(key)).toBe(1);
  });

  it('reports health', async () => {
    const { signal, config, secret, fetch, log, tenantId } = ctx();
    await expect(postboxConnector.health!({ signal, config, secret, fetch, log, tenantId })).resolves.toEqual({
      ok: true,
    });
  });
});
