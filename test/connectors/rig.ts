import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { builtinConnectors } from '../../connectors/index.ts';
import { type Definition, type DefinitionInput, definitionSchema } from '../../engine/definition/definition.schema.ts';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import type { BreakerSettings } from '../../server/connectors/circuit-breakers.ts';
import type { AnyConnector } from '../../server/connectors/connector-host.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { createServices, type Services } from '../../server/services.ts';
import { TestClock } from '../support/harness.ts';
import { type Call, readReply, requestInit } from '../support/http.ts';

/** Test tenant: the demo seed's (users `admin`, `sachbearbeitung`, password `demo`). */
export const TENANT = 'demo';

/** A server on a fresh SQLite file, listening on 127.0.0.1, with hooks to drive its runners and read its rows. */
export type Rig = {
  services: Services;
  clock: TestClock;
  dataDir: string;
  databaseFile: string;
  /** Where the app listens (counterparts post webhooks there). */
  url: string;
  /** JSON request against the app in process. */
  call: Call;
  login(username: string): Promise<string>;
  /** Saves a connector's config and secrets for the test tenant through the admin route. */
  configure(connector: string, config: Record<string, unknown>, secrets?: Record<string, string>): Promise<void>;
  publish(definition: DefinitionInput): Promise<Definition>;
  start(procedureKey: string, data?: Record<string, unknown>): Promise<{ id: string; trackingCode: string }>;
  /** Job rounds until none is due at the test clock's time. */
  runJobs(): Promise<void>;
  caseOf(caseId: string): Promise<{ state: string; vars: Record<string, unknown>; version: number }>;
  jobsOf(caseId: string): ReturnType<Services['queries']['caseJobs']>;
  historyOf(caseId: string): ReturnType<Services['queries']['history']>;
  close(): Promise<void>;
};

/** The connector with every operation's timeout set to `timeoutMs`: the real code, a test-sized deadline. */
export function withTimeout(connector: AnyConnector, timeoutMs: number): AnyConnector {
  return {
    ...connector,
    operations: Object.fromEntries(
      Object.entries(connector.operations).map(([name, operation]) => [name, { ...operation, timeoutMs }]),
    ),
  };
}

/** Starts a rig with the built-in connectors (or `connectors`), the demo seed and a test clock. */
export async function startRig(
  options: {
    connectors?: readonly AnyConnector[];
    breakers?: BreakerSettings;
    secretsKey?: string;
    /** The fetch connectors get (e.g. one that counts the requests leaving the engine). */
    fetch?: typeof fetch;
  } = {},
): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'connectors-'));
  const databaseFile = join(dataDir, 'test.db');
  const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseFile,
    LOG_LEVEL: 'silent',
    SECRETS_KEY: options.secretsKey ?? Buffer.alloc(32, 3).toString('base64'),
  });
  const services = await createServices(config, {
    connectors: options.connectors ?? builtinConnectors,
    clock,
    breakers: options.breakers,
    fetch: options.fetch,
  });
  await seedDemo(services, 'demo');
  const app = createApp(services);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call: Call = async (method, path, callOptions) =>
    readReply(await app.request(path, requestInit(method, callOptions)));
  const login = async (username: string) => {
    const res = await call('POST', '/api/auth/login', { body: { username, password: 'demo' } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return res.body.token as string;
  };
  const admin = await login('admin');

  const rig: Rig = {
    services,
    clock,
    dataDir,
    databaseFile,
    url,
    call,
    login,
    async configure(connector, connectorConfig, secrets = {}) {
      const res = await call('PUT', `/api/admin/connectors/${connector}/config`, {
        token: admin,
        body: { config: connectorConfig, secrets },
      });
      if (res.status !== 200) throw new Error(`configure ${connector}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async publish(input) {
      const definition = definitionSchema.parse(input);
      await services.procedures.saveDraft(TENANT, definition, clock.now());
      await services.procedures.publish(TENANT, definition.key, 'prozess', services.ids.id(), clock.now());
      return definition;
    },
    async start(procedureKey, data = {}) {
      const published = await services.procedures.version(TENANT, procedureKey);
      const row = await services.engine.start({
        tenantId: TENANT,
        procedureKey,
        version: published?.version ?? 1,
        data,
        actor: { kind: 'citizen' },
      });
      return { id: row.id, trackingCode: row.trackingCode };
    },
    async runJobs() {
      for (let round = 0; round < 1000; round++) if ((await services.jobs.runOnce()) === 0) return;
      throw new Error('runJobs: still busy after 1000 rounds');
    },
    async caseOf(caseId) {
      const row = await services.queries.case(TENANT, caseId);
      if (!row) throw new Error(`no case ${caseId}`);
      return { state: row.state, vars: row.snapshot.context.vars, version: row.version };
    },
    jobsOf: (caseId) => services.queries.caseJobs(TENANT, caseId),
    historyOf: (caseId) => services.queries.history(TENANT, caseId),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** The `call` history entries of a case: one per connector attempt. */
export async function callsOf(rig: Rig, caseId: string) {
  return (await rig.historyOf(caseId)).filter((h) => h.kind === 'call').map((h) => h.detail ?? {});
}

/** A retry policy small enough for tests: three attempts, 10 s then 20 s apart (with jitter). */
export const TEST_RETRY = { maxAttempts: 3, initialDelay: 'PT10S', maxDelay: 'PT1M', factor: 2 };

/**
 * `payment-probe`: create a payment (no `failed` path, so a final error is an incident), then wait for the provider's
 * notification: paid, cancelled, or after 7 days the timeout path.
 */
export function paymentProcedure(options: { returnUrl?: string } = {}): DefinitionInput {
  return {
    schemaVersion: 1,
    key: 'payment-probe',
    title: 'Zahlung (Test)',
    caseNumberPrefix: 'ZPT',
    form: { type: 'object', properties: { amountCents: { type: 'integer' } } },
    initial: 'createPayment',
    states: {
      createPayment: {
        kind: 'service',
        connector: 'payment@1',
        operation: 'create',
        input: {
          amountCents: 'amountCents',
          purpose: '"Gebühr " + caseNumber',
          ...(options.returnUrl === undefined ? {} : { returnUrl: JSON.stringify(options.returnUrl) }),
        },
        result: { paymentId: 'result.paymentId', payUrl: 'result.payUrl' },
        retry: TEST_RETRY,
        transitions: [{ on: 'done', target: 'awaitPayment' }],
      },
      awaitPayment: {
        kind: 'wait',
        status: 'Zahlung ausstehend',
        timeout: { duration: 'P7D' },
        transitions: [
          { on: 'payment.paid', target: 'paid' },
          { on: 'payment.cancelled', target: 'cancelled' },
          { on: 'timeout', target: 'expired' },
        ],
      },
      paid: { kind: 'final', outcome: 'paid', status: 'Bezahlt' },
      cancelled: { kind: 'final', outcome: 'cancelled', status: 'Abgebrochen' },
      expired: { kind: 'final', outcome: 'expired', status: 'Nicht bezahlt' },
    },
  };
}

/** `postbox-probe`: deliver one message with an attachment to the case's tracking code, then done. */
export function postboxProcedure(): DefinitionInput {
  return {
    schemaVersion: 1,
    key: 'postbox-probe',
    title: 'Postfach (Test)',
    caseNumberPrefix: 'PFT',
    form: { type: 'object', properties: {} },
    constants: {
      notice: {
        filename: 'bescheid.pdf',
        contentType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.7 Bescheid').toString('base64'),
      },
    },
    initial: 'deliver',
    states: {
      deliver: {
        kind: 'service',
        connector: 'postbox@1',
        operation: 'deliver',
        input: {
          recipient: 'trackingCode',
          subject: '"Ihr Bescheid " + caseNumber',
          body: '"Guten Tag,\\n\\nanbei Ihr Bescheid."',
          attachments: '[notice]',
        },
        result: { messageId: 'result.messageId' },
        retry: TEST_RETRY,
        transitions: [{ on: 'done', target: 'delivered' }],
      },
      delivered: { kind: 'final', outcome: 'delivered', status: 'Zugestellt' },
    },
  };
}
