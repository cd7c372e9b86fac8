import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Definition, definitionSchema } from '../../engine/definition/definition.schema.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type AllDoubles, startAllDoubles } from '../doubles/index.ts';
import type { Reply } from '../support/http.ts';
import { configureConnectors, httpClient, WEBHOOK_SECRET } from '../support/http.ts';
import { connectionRefused, freePort, ServerProcess, sleep } from './server-process.ts';

/** SIGKILLs of the server while it takes applications, runs connector jobs and receives payment notifications. */
const KILLS = 50;
/** Acknowledged (201) applications the load generator drives through the crashes. */
const APPLICATIONS = 500;
const CONCURRENCY = 8;
const PASSWORD = 'demo';

/** Birth records in the register double; every application names one of them, so the look-up finds exactly one. */
const PEOPLE = [
  { familyName: 'Schmidt', givenNames: 'Anna Lena', dateOfBirth: '1990-05-14', placeOfBirth: 'Musterstadt' },
  { familyName: 'Müller', givenNames: 'Jonas', dateOfBirth: '1985-11-02', placeOfBirth: 'Musterstadt' },
  { familyName: 'Yılmaz', givenNames: 'Elif', dateOfBirth: '2001-01-30', placeOfBirth: 'Beispielhausen' },
  { familyName: 'Nguyen', givenNames: 'Minh Anh', dateOfBirth: '1978-07-09', placeOfBirth: 'Musterstadt' },
];
const RELATIONS = ['self', 'spouse', 'parent', 'child'];
const PURPOSES = ['marriage', 'pension', 'passport', 'estate'];

type Acknowledged = { caseId: string; caseNumber: string; trackingCode: string };
type CaseSummary = { id: string; caseNumber: string; state: string };
type HistoryEntry = { kind: string; fromState: string | null; toState: string | null; event: string | null };
type JobEntry = { state: string; connector: string; operation: string; status: string; idempotencyKey: string };
type TaskEntry = { state: string; status: string };

/** The sample application, varied: another register entry, relation, purpose, copies and street. */
function application(base: Record<string, unknown>, n: number): Record<string, unknown> {
  const person = PEOPLE[n % PEOPLE.length]!;
  const applicant = base.applicant as Record<string, unknown>;
  const request = base.request as Record<string, unknown>;
  return {
    ...base,
    person,
    applicant: {
      ...applicant,
      relation: RELATIONS[n % RELATIONS.length],
      familyName: person.familyName,
      street: `Lindenallee ${(n % 200) + 1}`,
    },
    request: { ...request, purpose: PURPOSES[(n >> 2) % PURPOSES.length], copies: 1 + (n % 3) },
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-kill9-'));
let doubles: AllDoubles | undefined;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  await doubles?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 under load', () => {
  it(
    `loses no acknowledged application and repeats no effect across ${KILLS} SIGKILLs`,
    async () => {
      const workflow = (await loadWorkflows()).find((w) => w.key === 'geburtsurkunde')!;
      const definition: Definition = definitionSchema.parse(workflow.definition);
      const sample = workflow.samples.find((s) => /Postfach/.test(s.title))!;
      const serviceStates = new Set(
        Object.entries(definition.states)
          .filter(([, state]) => state.kind === 'service')
          .map(([id]) => id),
      );

      const started = Date.now();
      doubles = await startAllDoubles({
        fachverfahrenSeed: {
          standesamt: PEOPLE.map((p, i) => ({ ...p, birthName: p.familyName, registerNumber: `G ${100 + i}/1990` })),
        },
      });
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const hookUrl = `${baseUrl}/api/hooks/demo/payment@1`;
      const http = httpClient(baseUrl);
      const api: typeof http = (method, path, options) => http(method, path, { timeoutMs: 15_000, ...options });
      server = new ServerProcess({
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
        SEED_DEMO: 'true',
        DEMO_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
        JOB_LEASE_MS: '1500',
        RUNNER_POLL_MS: '50',
      });
      await server.start();

      const login = async (username: string) => {
        const res = await api('POST', '/api/auth/login', { body: { username, password: PASSWORD } });
        expect(res.status, `login ${username}`).toBe(200);
        return res.body.token as string;
      };
      const admin = await login('admin');
      await configureConnectors(api, admin, doubles);
      doubles.payment.notifyOnChange(hookUrl, WEBHOOK_SECRET);

      // Load generator: CONCURRENCY citizens; a failed submission is retried later as a new application.
      // Pacing spreads the applications over the server's lives, so crashes hit every phase of a case.
      const acknowledged: Acknowledged[] = [];
      const otherAnswers: string[] = [];
      let inFlight = 0;
      let submitted = 0;
      let refused = 0;
      let unknownOutcome = 0;
      let loadDeadline = Number.POSITIVE_INFINITY;
      const perLife = Math.ceil(APPLICATIONS / KILLS);
      const quota = () => Math.min(APPLICATIONS, server!.lives * perLife);
      const citizen = async () => {
        while (acknowledged.length < APPLICATIONS && Date.now() < loadDeadline) {
          if (acknowledged.length + inFlight >= quota()) {
            await sleep(20);
            continue;
          }
          inFlight += 1;
          const n = submitted++;
          try {
            const res = await api('POST', '/api/applications', {
              body: { procedure: 'geburtsurkunde', data: application(sample.data, n) },
            });
            if (res.status === 201) acknowledged.push(res.body as Acknowledged);
            else otherAnswers.push(`${res.status} ${JSON.stringify(res.body)}`);
          } catch (error) {
            if (connectionRefused(error)) refused += 1;
            else unknownOutcome += 1;
            inFlight -= 1;
            await sleep(200);
            continue;
          }
          inFlight -= 1;
        }
      };
      const load = Promise.all(Array.from({ length: CONCURRENCY }, () => citizen()));

      // Citizens who read the payment link in their postbox pay about half of them, while the server crashes.
      const paid: string[] = [];
      let payerStopped = false;
      const payer = (async () => {
        let read = 0;
        const queue: string[] = [];
        while (!payerStopped) {
          const messages = doubles!.postbox.messages;
          for (; read < messages.length; read++) {
            const link = /\/pay\/(pay-\d+)/.exec(messages[read]!.body);
            if (link !== null && Math.random() < 0.5) queue.push(link[1]!);
          }
          for (let i = 0; i < 3 && queue.length > 0; i++) {
            const paymentId = queue.shift()!;
            paid.push(paymentId);
            await doubles!.payment.pay(paymentId);
          }
          await sleep(100);
        }
      })();

      // The killer: SIGKILL at a random moment 100–1500 ms after the server listens, restart on the same files.
      let kills = 0;
      for (; kills < KILLS; kills++) {
        await sleep(100 + Math.random() * 1400);
        await server.kill();
        await server.start();
      }
      const killsDoneAfterMs = Date.now() - started;

      // The last life takes the rest of the load; a server that stops answering fails here, not in a hang.
      loadDeadline = Date.now() + 60_000;
      await load;
      payerStopped = true;
      await payer;
      if (acknowledged.length < APPLICATIONS) {
        const health = await api('GET', '/healthz', { timeoutMs: 5000 }).then(
          (res) => `answers ${res.status}`,
          (error: unknown) => `does not answer (${error instanceof Error ? error.message : String(error)})`,
        );
        expect.fail(
          `only ${acknowledged.length} of ${APPLICATIONS} applications acknowledged within a minute after the last restart ` +
            `(${unknownOutcome} requests without an answer); /healthz ${health}\n${server.log()}`,
        );
      }
      expect(otherAnswers, 'answers other than 201 to a valid application').toEqual([]);

      const worker = await login('sachbearbeitung');
      /** GETs are repeated on a network error: a pooled connection may still point at a killed process. */
      const get = async (path: string): Promise<Reply> => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await api('GET', path, { token: worker });
          } catch (error) {
            if (attempt >= 3) throw error;
            await sleep(200);
          }
        }
      };
      const listCases = async () => {
        const all: CaseSummary[] = [];
        for (let offset = 0; ; offset += 200) {
          const page = await get(`/api/cases?procedure=geburtsurkunde&limit=200&offset=${offset}`);
          expect(page.status).toBe(200);
          all.push(...(page.body as CaseSummary[]));
          if (page.body.length < 200) return all;
        }
      };
      /** Polls until no case is in a service state, i.e. no connector job is left to move a case on. */
      const settled = async () => {
        for (let round = 0; round < 240; round++) {
          const cases = await listCases();
          if (cases.every((c) => !serviceStates.has(c.state))) return cases;
          await sleep(250);
        }
        throw new Error(`jobs not settled\n${server!.log()}`);
      };

      // A provider repeats a notification that got no 200 (the server was down, or the case not yet waiting).
      let cases = await settled();
      const stateOf = new Map(cases.map((c) => [c.id, c.state]));
      let renotified = 0;
      for (const paymentId of paid) {
        const caseId = doubles.payment.payment(paymentId)!.requestId.split(':')[0]!;
        if (stateOf.get(caseId) !== 'awaitPayment') continue;
        const result = await doubles.payment.notify(paymentId, hookUrl, WEBHOOK_SECRET);
        expect(result.status, `repeated notification for ${paymentId}: ${result.body}`).toBe(200);
        renotified += 1;
      }
      cases = await settled();

      const details = new Map<string, Reply>();
      const ids = cases.map((c) => c.id);
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let id = ids.pop(); id !== undefined; id = ids.pop()) details.set(id, await get(`/api/cases/${id}`));
        }),
      );

      // Every acknowledged application survived, unchanged.
      const problems: string[] = [];
      let found = 0;
      for (const ack of acknowledged) {
        const detail = details.get(ack.caseId) ?? (await get(`/api/cases/${ack.caseId}`));
        if (detail.status !== 200) problems.push(`${ack.caseId}: acknowledged but GET answers ${detail.status}`);
        else if (detail.body.caseNumber !== ack.caseNumber || detail.body.trackingCode !== ack.trackingCode)
          problems.push(`${ack.caseId}: acknowledged as ${ack.caseNumber}/${ack.trackingCode}, stored otherwise`);
        else found += 1;
      }
      // Cases nobody was told about exist only where a request's outcome was unknown (killed before the answer).
      const unacknowledged = cases.length - acknowledged.length;
      expect(unacknowledged).toBeGreaterThanOrEqual(0);
      expect(unacknowledged).toBeLessThanOrEqual(unknownOutcome);
      expect(new Set(cases.map((c) => c.caseNumber)).size, 'case numbers are unique').toBe(cases.length);

      // Every case is valid and at rest; its history chains; its jobs ran once per key with one effect each.
      const jobKeys = new Set<string>();
      let retriedKeys = 0;
      for (const [id, detail] of details) {
        const c = detail.body;
        const where = `${c.caseNumber} (${id}) in ${c.state}`;
        const state = definition.states[c.state as string];
        if (state === undefined) {
          problems.push(`${where}: not a state of the definition`);
          continue;
        }
        if (c.status !== (state.kind === 'final' ? 'done' : 'active'))
          problems.push(`${where}: status ${c.status} in a ${state.kind} state`);
        if (c.state !== 'awaitPayment' && c.state !== 'review') problems.push(`${where}: not at rest`);
        const payment = doubles.payment.payment(c.variables.paymentId as string);
        if (payment === undefined || payment.requestId !== `${id}:createPayment:1`)
          problems.push(`${where}: no payment of its own (${c.variables.paymentId})`);
        else if ((payment.status === 'paid') !== (c.state === 'review'))
          problems.push(`${where}: payment is ${payment.status}`);
        if (c.publicStatus !== state.status) problems.push(`${where}: public status ${c.publicStatus}`);
        const openTasks = (c.tasks as TaskEntry[]).filter((t) => t.status === 'open').map((t) => t.state);
        if (openTasks.join() !== (c.state === 'review' ? 'review' : ''))
          problems.push(`${where}: open tasks [${openTasks.join()}]`);

        const chain = (c.history as HistoryEntry[]).filter((h) => h.kind === 'started' || h.kind === 'transition');
        chain.forEach((h, i) => {
          const previous = chain[i - 1];
          const expected =
            previous === undefined ? { kind: 'started', from: null } : { kind: 'transition', from: previous.toState };
          if (h.kind !== expected.kind || h.fromState !== expected.from)
            problems.push(`${where}: history gap at ${i}: ${h.kind} ${h.fromState} → ${h.toState} (${h.event})`);
        });
        if (chain.at(-1)?.toState !== c.state) problems.push(`${where}: history ends in ${chain.at(-1)?.toState}`);
        if ((c.history as HistoryEntry[]).some((h) => h.kind === 'incident')) problems.push(`${where}: an incident`);

        const passed = new Set(chain.map((h) => h.toState));
        const jobs = c.jobs as JobEntry[];
        const jobStates = jobs.map((j) => j.state).sort();
        if (jobStates.join() !== 'createPayment,lookupRecord,sendPaymentLink')
          problems.push(`${where}: jobs [${jobStates.join()}]`);
        for (const job of jobs) {
          const key = job.idempotencyKey;
          if (jobKeys.has(key)) problems.push(`${where}: idempotency key ${key} used by two jobs`);
          jobKeys.add(key);
          if (!passed.has(job.state)) problems.push(`${where}: job for ${job.state}, a state it never entered`);
          if (job.status !== 'done') problems.push(`${where}: job ${job.state} is ${job.status}`);
          // A register look-up only reads: it has no effect that could happen twice.
          const effects =
            job.connector === 'payment@1'
              ? (doubles.payment.effects.get(key) ?? 0)
              : job.connector === 'postbox@1'
                ? doubles.postbox.deliveries(key)
                : job.operation === 'lookup'
                  ? undefined
                  : doubles.fachverfahren.deliveries(key);
          if (effects !== undefined && effects !== 1) problems.push(`${where}: ${effects} effects for ${key}`);
          const requests = Math.max(
            doubles.payment.requests(key),
            doubles.postbox.requests(key),
            doubles.fachverfahren.requests(key),
          );
          if (requests > 1) retriedKeys += 1;
        }
      }

      // No effect at an outside system belongs to a job the database does not know, and none happened twice.
      const effectKeys = [
        ...doubles.payment.effects.keys(),
        ...doubles.postbox.messages.map((m) => m.idempotencyKey),
        ...doubles.fachverfahren.received.map((m) => m.idempotencyKey),
      ];
      const duplicateEffects =
        [...doubles.payment.effects.values()].filter((count) => count > 1).length +
        effectKeys.length -
        new Set(effectKeys).size;
      for (const key of effectKeys) if (!jobKeys.has(key)) problems.push(`effect under ${key} without a job`);
      // Counted at the counterparts: one payment per payment step, one postbox message per delivery step.
      const paymentsCreatedTwice = [...doubles.payment.effects.values()].filter((count) => count > 1).length;
      const postboxKeys = doubles.postbox.messages.map((m) => m.idempotencyKey);
      const postboxDeliveredTwice = postboxKeys.length - new Set(postboxKeys).size;

      const notifications = doubles.payment.notifications;
      console.log(
        `kill9: acknowledged=${acknowledged.length}, kills=${kills}, cases=${cases.length}, retriedKeys=${retriedKeys}, duplicateEffects=${duplicateEffects}, ` +
          `payments=${doubles.payment.effects.size} (created twice: ${paymentsCreatedTwice}), ` +
          `postboxMessages=${postboxKeys.length} (delivered twice: ${postboxDeliveredTwice})`,
      );
      console.log(
        `kill9 details: submitted=${submitted}, refused=${refused}, unknownOutcome=${unknownOutcome}, unacknowledgedCases=${unacknowledged}, ` +
          `paid=${paid.length}, notifications=${notifications.length} (200: ${notifications.filter((n) => n.status === 200).length}, ` +
          `unreached: ${notifications.filter((n) => n.status === 0).length}, 409: ${notifications.filter((n) => n.status === 409).length}), ` +
          `renotified=${renotified}, killsDoneAfter=${Math.round(killsDoneAfterMs / 1000)}s, total=${Math.round((Date.now() - started) / 1000)}s`,
      );

      expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
      expect(found).toBe(acknowledged.length);
      expect(kills).toBe(KILLS);
      expect(duplicateEffects).toBe(0);
      expect(paymentsCreatedTwice).toBe(0);
      expect(postboxDeliveredTwice).toBe(0);
    },
    6 * 60_000,
  );
});
