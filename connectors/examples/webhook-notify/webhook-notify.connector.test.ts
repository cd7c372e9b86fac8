import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectorProblems } from '../../../engine/connectors/connector.ts';
import { runOperation, testContext } from '../../shared/test-context.ts';
import webhookNotify from './webhook-notify.connector.ts';

type Received = { headers: Record<string, string | string[] | undefined>; body: string };

let server: Server;
let url: string;
let received: Received[];
let answers: number[];

beforeEach(async () => {
  received = [];
  answers = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const notify = (secrets: Record<string, string> = {}, target = url) =>
  runOperation(
    webhookNotify,
    'notify',
    { event: 'antrag.eingegangen', data: { caseNumber: 'GEB-2026-000001' } },
    testContext(webhookNotify, { config: { url: target }, secrets, idempotencyKey: 'case-1:notify:1' }),
  );

describe('webhook-notify@1 (example external connector)', () => {
  it('is a valid manifest', () => {
    expect(connectorProblems(webhookNotify)).toEqual([]);
  });

  it('posts the event as JSON with the idempotency key and an HMAC signature', async () => {
    await expect(notify({ signingKey: 'k' })).resolves.toEqual({ status: 204 });
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(JSON.parse(call!.body)).toEqual({
      event: 'antrag.eingegangen',
      data: { caseNumber: 'GEB-2026-000001' },
      caseId: 'case-1',
    });
    expect(call!.headers['idempotency-key']).toBe('case-1:notify:1');
    expect(call!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', 'k').update(call!.body).digest('hex')}`);
  });

  it('sends no signature without a signing key', async () => {
    await notify();
    expect(received[0]!.headers['x-signature']).toBeUndefined();
  });

  it('maps 5xx and an unreachable receiver to retryable errors, 4xx to a final one', async () => {
    answers.push(503, 400);
    await expect(notify()).rejects.toMatchObject({ code: 'server_error', retryable: true });
    await expect(notify()).rejects.toMatchObject({ code: 'rejected', retryable: false });
    await new Promise((resolve) => server.close(resolve));
    await expect(notify({}, url)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    server.listen(0, '127.0.0.1');
  });
});
