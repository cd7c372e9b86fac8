import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type PaymentCounterpart,
  signNotification,
  startPaymentCounterpart,
} from '../../connectors/payment/payment.counterpart.ts';
import { freePort, ServerProcess } from '../crash/server-process.ts';
import { type Call, httpClient } from '../support/http.ts';

const API_KEY = 'KLARTEXT-apikey-5c1e9b';
const WEBHOOK_SECRET = 'KLARTEXT-webhook-8d2f4a';
const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('base64');
const keyId = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 8);

const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-secrets-'));
let server: ServerProcess | undefined;
let provider: PaymentCounterpart | undefined;

afterAll(async () => {
  await server?.kill();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every byte of the SQLite database: the main file, its WAL and shared-memory index. */
function databaseBytes(): Buffer {
  return Buffer.concat(
    readdirSync(dataDir)
      .filter((name) => name.startsWith('verfahren.db'))
      .map((name) => readFileSync(join(dataDir, name))),
  );
}

function sealedPaymentSecrets(): Record<string, string> {
  const db = new Database(join(dataDir, 'verfahren.db'), { readonly: true });
  try {
    const row = db
      .prepare("select secrets from connector_configs where tenant_id = 'demo' and connector_id = 'payment@1'")
      .get() as { secrets: string };
    return JSON.parse(row.secrets) as Record<string, string>;
  } finally {
    db.close();
  }
}

describe('connector secrets', () => {
  it('are never returned or logged, not stored in plain text, and survive a key rotation', async () => {
    provider = await startPaymentCounterpart({ apiKey: API_KEY });
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'debug',
      RUNNER_POLL_MS: '50',
    };
    const api: Call = httpClient(`http://127.0.0.1:${port}`);
    const hook = '/api/hooks/demo/payment@1';
    const notify = (paymentId: string, secret: string) => {
      const body = JSON.stringify({ paymentId });
      return api('POST', hook, { body, headers: signNotification(body, secret, Math.floor(Date.now() / 1000)) });
    };

    server = new ServerProcess({ ...env, SECRETS_KEY: KEY_A });
    await server.start();
    const login = await api('POST', '/api/auth/login', { body: { username: 'admin', password: 'demo' } });
    const token = login.body.token as string;
    const saved = await api('PUT', '/api/admin/connectors/payment@1/config', {
      token,
      body: { config: { baseUrl: provider.url }, secrets: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.secretNames.sort()).toEqual(['apiKey', 'webhookSecret']);

    // The secrets are in use: a notification signed with the webhook secret gets as far as the status query.
    expect((await notify('pay-404', WEBHOOK_SECRET)).status).toBe(404);
    expect((await notify('pay-404', 'falsch')).status).toBe(401);

    const replies = [
      saved,
      await api('GET', '/api/connectors', { token }),
      await api('GET', '/api/admin/users', { token }),
      await api('GET', '/api/incidents', { token }),
      await api('GET', '/openapi.json'),
      await api('PUT', '/api/admin/connectors/payment@1/config', {
        token,
        body: { config: { baseUrl: 'kaputt' }, secrets: { apiKey: API_KEY } },
      }),
    ];
    for (const reply of replies) {
      const text = JSON.stringify(reply.body);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(WEBHOOK_SECRET);
    }
    const listed = replies[1]!.body.find((c: { id: string }) => c.id === 'payment@1');
    expect(listed).toMatchObject({ configured: true, secrets: ['apiKey', 'webhookSecret'], health: { ok: true } });

    await server.kill();
    const log = server.log();
    expect(log).toContain('connector.webhook.rejected');
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain(WEBHOOK_SECRET);
    const bytes = databaseBytes();
    expect(bytes.includes(API_KEY)).toBe(false);
    expect(bytes.includes(WEBHOOK_SECRET)).toBe(false);
    expect(Object.values(sealedPaymentSecrets()).map((s) => s.split(':').slice(0, 2).join(':'))).toEqual([
      `v1:${keyId(KEY_A)}`,
      `v1:${keyId(KEY_A)}`,
    ]);

    // Rotation: the new key first, the old one after it; the start re-seals everything with the new key.
    server = new ServerProcess({ ...env, SECRETS_KEY: `${KEY_B},${KEY_A}` });
    await server.start();
    await server.kill();
    expect(server.log()).toContain('connector.secrets.resealed');
    expect(Object.values(sealedPaymentSecrets()).every((s) => s.startsWith(`v1:${keyId(KEY_B)}:`))).toBe(true);

    // Now the old key can go.
    server = new ServerProcess({ ...env, SECRETS_KEY: KEY_B });
    await server.start();
    expect((await notify('pay-404', WEBHOOK_SECRET)).status).toBe(404);
    expect((await notify('pay-404', 'falsch')).status).toBe(401);
    await server.kill();
    expect(databaseBytes().includes(WEBHOOK_SECRET)).toBe(false);
  }, 120_000);
});
