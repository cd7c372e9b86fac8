import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOperation, testContext } from '../shared/test-context.ts';
import { emailConnector, messageIdFor } from './email-smtp.connector.ts';
import { type SmtpCounterpart, startSmtpCounterpart } from './smtp.counterpart.ts';

const key = 'case-11:mail-citizen:1';
const mail = {
  to: 'buerger@example.org',
  subject: 'Ihr Antrag – Eingangsbestätigung',
  text: 'Grüße aus Öhringen, Ihr Bürgerbüro',
};

let smtp: SmtpCounterpart;
let port: number;
let received: ParsedMail[];

beforeEach(async () => {
  smtp = await startSmtpCounterpart({
    users: { verfahren: 'smtp-geheim' },
    unknownDomains: ['unbekannt.example'],
    fullDomains: ['voll.example'],
  });
  port = smtp.port;
  received = smtp.messages;
});

afterEach(async () => {
  await smtp.close();
});

function ctx(options: { password?: string; signal?: AbortSignal; port?: number; idempotencyKey?: string } = {}) {
  return testContext(emailConnector, {
    config: {
      host: '127.0.0.1',
      port: options.port ?? port,
      user: 'verfahren',
      from: 'noreply@musterstadt.example',
      fromName: 'Stadt Musterstadt',
    },
    secrets: { password: options.password ?? 'smtp-geheim' },
    idempotencyKey: options.idempotencyKey ?? key,
    signal: options.signal,
  });
}

const send = (input: unknown, context = ctx()) => runOperation(emailConnector, 'send', input, context);

describe('email-smtp@1 send', () => {
  it('sends a German plain-text mail with a Message-ID derived from the idempotency key', async () => {
    const expectedId = `<${createHash('sha256').update(key).digest('hex')}@verfahren.local>`;
    expect(messageIdFor(key)).toBe(expectedId);
    expect(await send(mail)).toEqual({ messageId: expectedId });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.messageId).toBe(expectedId);
    expect(message?.subject).toBe(mail.subject);
    expect(message?.text?.trim()).toBe(mail.text);
    expect(message?.from?.value).toEqual([{ address: 'noreply@musterstadt.example', name: 'Stadt Musterstadt' }]);
  });

  it('gives a retried send the same Message-ID, so mail systems see one message', async () => {
    await send(mail);
    await send(mail);
    await send(mail, ctx({ idempotencyKey: 'case-11:mail-citizen:2' }));
    const ids = received.map((message) => message.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('does not retry a rejected login or a permanently rejected recipient', async () => {
    await expect(send(mail, ctx({ password: 'falsch' }))).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false,
    });
    await expect(send({ ...mail, to: 'niemand@unbekannt.example' })).rejects.toMatchObject({
      code: 'rejected',
      retryable: false,
    });
    expect(received).toHaveLength(0);
  });

  it('retries a temporarily rejected recipient and an unreachable server', async () => {
    await expect(send({ ...mail, to: 'jemand@voll.example' })).rejects.toMatchObject({
      code: 'deferred',
      retryable: true,
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    await new Promise((resolve) => closed.close(resolve));
    await expect(send(mail, ctx({ port: address.port }))).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
  });

  it('turns an abort into a retryable timeout when the server never greets', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    try {
      await expect(send(mail, ctx({ port: address.port, signal: AbortSignal.timeout(100) }))).rejects.toMatchObject({
        name: 'ConnectorError',
        code: 'timeout',
        retryable: true,
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects an invalid recipient address before connecting', async () => {
    await expect(send({ ...mail, to: 'kein-mail-format' })).rejects.toThrow();
  });
});

describe('email-smtp@1 health', () => {
  it('is healthy with the right login and unhealthy with a wrong one', async () => {
    const health = (password: string) => {
      const { signal, config, secret, fetch, log, tenantId } = ctx({ password });
      return emailConnector.health!({ signal, config, secret, fetch, log, tenantId });
    };
    await expect(health('smtp-geheim')).resolves.toEqual({ ok: true });
    await expect(health('falsch')).resolves.toMatchObject({ ok: false, message: expect.stringContaining('Anmeldung') });
  });
});
