import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../crash/server-process.ts';
import { freshPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';
import { login, probeDefinition, publish, serverErrors, startServer } from './scale-support.ts';

/** The job lease of both processes: the paused one stands still for longer than this. */
const LEASE_MS = 2_000;
const API_KEY = 'fv-test-key';

/**
 * A back-office system on 127.0.0.1 in the manner of `fachverfahren-http@1`: counts requests per idempotency key,
 * takes each message once (one effect per key) and answers with the number of the request (`ref-1`, `ref-2`, …).
 * The first request is held until the test releases it.
 */
async function startBackOffice() {
  const requests = new Map<string, number>();
  const effects = new Map<string, number>();
  let served = 0;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let firstArrived: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    firstArrived = resolve;
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const key = String(req.headers['idempotency-key'] ?? '');
    if (req.method !== 'POST' || req.url !== '/messages' || req.headers.authorization !== `Bearer ${API_KEY}`) {
      res.writeHead(404).end();
      return;
    }
    const number = ++served;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    if (!effects.has(key)) effects.set(key, JSON.parse(Buffer.concat(chunks).toString()).payload.n as number);
    if (number === 1) {
      firstArrived();
      await released;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: `ref-${number}` }));
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    effects,
    arrived,
    release,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const definition = probeDefinition(
  'uebergabe',
  {
    send: {
      kind: 'service',
      connector: 'fachverfahren-http@1',
      operation: 'send',
      input: { messageType: '"test.antrag"', payload: '{n: n}' },
      result: { reference: 'result.reference' },
      transitions: [
        { on: 'done', target: 'uebergeben' },
        { on: 'failed', target: 'fehlgeschlagen' },
      ],
    },
    uebergeben: { kind: 'final', outcome: 'delivered', status: 'Übergeben' },
    fehlgeschlagen: { kind: 'final', outcome: 'failed', status: 'Fehlgeschlagen' },
  },
  'send',
);

type HistoryEntry = { kind: string; event: string | null; fromState: string | null };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one Postgres database: job leases', () => {
  it('rejects the stale commit of a process paused beyond its lease; the outside system saw one key, one effect', async () => {
    const db = await freshPostgres(TEST_DATABASE_URL!);
    cleanups.push(db.drop);
    const backOffice = await startBackOffice();
    cleanups.push(backOffice.close);
    const env = { DATABASE_URL: db.url, JOB_LEASE_MS: String(LEASE_MS), RUNNER_POLL_MS: '50', LOG_LEVEL: 'info' };

    const paused = await startServer(env);
    cleanups.push(paused.stop);
    const admin = await login(paused.call, 'admin');
    const configured = await paused.call('PUT', '/api/admin/connectors/fachverfahren-http@1/config', {
      token: admin,
      body: { config: { baseUrl: backOffice.url }, secrets: { apiKey: API_KEY } },
    });
    expect(configured.status, JSON.stringify(configured.body)).toBe(200);
    await publish(paused.call, definition);
    const submitted = await paused.call('POST', '/api/applications', {
      body: { procedure: definition.key, data: { n: 42 } },
    });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId as string;

    // The first process has claimed the job and called the back office: it stops right there, beyond its lease.
    await backOffice.arrived;
    paused.pause();
    const other = await startServer(env);
    cleanups.push(other.stop);
    const staff = await login(other.call, 'admin');
    const caseNow = async () => (await other.call('GET', `/api/cases/${caseId}`, { token: staff })).body;
    let detail = await caseNow();
    for (let round = 0; round < 200 && detail.state !== 'uebergeben'; round++) {
      await sleep(100);
      detail = await caseNow();
    }
    expect(detail.state, 'the second process took the job over after the lease').toBe('uebergeben');

    // The paused process wakes up, gets its (late) answer and tries to commit it.
    paused.resume();
    backOffice.release();
    const staleLine = () =>
      paused
        .output()
        .split('\n')
        .find((line) => line.includes('connector.call.succeeded') && line.includes('"stale":true'));
    for (let round = 0; round < 150 && !staleLine(); round++) await sleep(100);
    expect(staleLine(), 'the paused process reports its result as stale').toBeDefined();

    detail = await caseNow();
    const key = `${caseId}:send:1`;
    const transitions = detail.history.filter((h: HistoryEntry) => h.kind === 'transition' && h.fromState === 'send');
    expect(backOffice.requests.get(key), 'both processes called with the same idempotency key').toBe(2);
    expect([...backOffice.requests.keys()]).toEqual([key]);
    expect(backOffice.effects.size, 'one effect').toBe(1);
    expect(transitions.map((h: HistoryEntry) => h.event)).toEqual(['job:done']);
    // The committed result is the second process's answer; the paused one's `ref-1` changed nothing.
    expect(detail.variables.reference).toBe('ref-2');
    expect(detail.jobs).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })]);
    expect(serverErrors([paused, other])).toEqual([]);
  }, 175_000);
});
