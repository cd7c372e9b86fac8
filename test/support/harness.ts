import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { builtinConnectors } from '../../connectors/index.ts';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { createServices, type Services } from '../../server/services.ts';
import { type AllDoubles, type AllDoublesOptions, startAllDoubles } from '../doubles/index.ts';
import { type SmtpDouble, startSmtpDouble } from '../doubles/smtp.double.ts';
import { type Call, configureConnectors, readReply, requestInit, WEBHOOK_SECRET } from './http.ts';

export type { Reply } from './http.ts';

/** A clock tests can move forward (timers, deadlines). */
export class TestClock {
  constructor(private current = new Date()) {}
  now = () => new Date(this.current.getTime());
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
  /** Sets the time (also backwards: a test that starts its own cases at a fixed date). */
  set(date: Date) {
    this.current = new Date(date.getTime());
  }
}

export type Harness = {
  services: Services;
  app: ReturnType<typeof createApp>;
  clock: TestClock;
  doubles: AllDoubles;
  smtp: SmtpDouble;
  dataDir: string;
  /** Where the app listens on 127.0.0.1 (outside systems call its webhooks there). */
  url: string;
  /** JSON request against the app; `token` signs in. */
  call: Call;
  login(username: string, password?: string): Promise<string>;
  /** Runs job and timer rounds until nothing is due. */
  settle(): Promise<void>;
  close(): Promise<void>;
};

/** The database URL of a test: a fresh SQLite file, or a fresh schema-isolated Postgres database when asked. */
export function testDatabaseUrl(dataDir: string): string {
  return join(dataDir, 'test.db');
}

/**
 * Starts the real server parts on a fresh database (SQLite file by default, `databaseUrl` for Postgres)
 * with the demo seed and connectors configured against real HTTP doubles on 127.0.0.1.
 */
export async function startHarness(
  options: { databaseUrl?: string; clock?: TestClock; doubles?: AllDoublesOptions } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-'));
  const clock = options.clock ?? new TestClock();
  // Listen first: the free port is the portal's public address, which the cases hand to the payment provider.
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl ?? testDatabaseUrl(dataDir),
    LOG_LEVEL: 'silent',
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_URL: url,
  });
  const services = await createServices(config, { connectors: builtinConnectors, clock });
  await seedDemo(services, 'demo');
  const doubles = await startAllDoubles(options.doubles);
  const smtp = await startSmtpDouble();
  const ready = createApp(services);
  app = ready;
  doubles.payment.notifyOnChange(`${url}/api/hooks/demo/payment@1`, WEBHOOK_SECRET);

  const call: Call = async (method, path, options) =>
    readReply(await ready.request(path, requestInit(method, options)));

  const login = async (username: string, password = 'demo') => {
    const res = await call('POST', '/api/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return res.body.token as string;
  };

  await configureConnectors(call, await login('admin'), doubles, smtp);

  const settle = async () => {
    for (let round = 0; round < 100; round++) {
      const ran = (await services.jobs.runOnce()) + (await services.timers.runOnce());
      if (ran === 0) return;
    }
    throw new Error('settle: still busy after 100 rounds');
  };

  return {
    services,
    app: ready,
    clock,
    doubles,
    smtp,
    dataDir,
    url,
    call,
    login,
    settle,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await doubles.close();
      await smtp.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
