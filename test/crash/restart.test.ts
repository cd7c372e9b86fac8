import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinConnectors } from '../../connectors/index.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { createApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { createServices, type Services } from '../../server/services.ts';
import { loadWorkflows, type Sample } from '../../workflows/index.ts';
import { type AllDoubles, signNotification, startAllDoubles } from '../doubles/index.ts';
import { TestClock } from '../support/harness.ts';
import { type Call, configureConnectors, readReply, requestInit, WEBHOOK_SECRET } from '../support/http.ts';
import { ROOT } from './server-process.ts';

const DAY = 24 * 3600_000;
/** Margin around the 7-day payment timeout (a day-based duration moves by an hour across a DST change). */
const MARGIN = 2 * 3600_000;
/** Cases left waiting for payment; their timeouts fire after the restart. */
const WAITING = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-restart-'));
const env = {
  DATA_DIR: dataDir,
  DATABASE_URL: join(dataDir, 'verfahren.db'),
  LOG_LEVEL: 'silent',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Rejects instead of waiting forever: a runner or request that hangs fails the test with its name. */
async function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One server instance (services and HTTP app, no runners) on the test's database file, with its own clock. */
async function openApp(clock: TestClock) {
  const services: Services = await createServices(parseConfig(env), { connectors: builtinConnectors, clock });
  const app = createApp(services);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await services.close();
  };
  cleanups.push(close);
  const call: Call = async (method, path, options) =>
    readReply(await within(Promise.resolve(app.request(path, requestInit(method, options))), `${method} ${path}`));
  const login = async (username: string) => {
    const res = await call('POST', '/api/auth/login', { body: { username, password: 'demo' } });
    expect(res.status, `login ${username}`).toBe(200);
    return res.body.token as string;
  };
  /** Runs connector jobs until none is due. */
  const settleJobs = async () => {
    for (let round = 0; round < 50; round++) {
      if ((await within(services.jobs.runOnce(), 'jobs.runOnce')) === 0) return;
    }
    throw new Error('jobs still due after 50 rounds');
  };
  return { services, call, login, settleJobs, close };
}

/** A timer runner in a process of its own (timer-runner.child.ts), driven line by line. */
async function startTimerProcess(clockMs: number) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/crash/timer-runner.child.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, CLOCK_MS: String(clockMs) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  // biome-ignore lint/suspicious/noExplicitAny: the child's JSON answers are inspected with expect()
  const next = async (what: string, ms: number): Promise<any> => {
    const line = await within(lines.next(), `timer process: ${what}`, ms);
    if (line.done) throw new Error(`timer process ended before answering ${what}`);
    const answer = JSON.parse(line.value);
    if (answer.error) throw new Error(`timer process, ${what}: ${answer.error}`);
    return answer;
  };
  await next('start', 60_000);
  return {
    ask(command: 'due' | 'runOnce' | 'fireSeen') {
      child.stdin!.write(`${command}\n`);
      return next(command, 20_000);
    },
  };
}

describe('restart on the same database file', () => {
  it('fires a due payment timeout once after a restart, and continues a case at a task', async () => {
    const workflow = (await loadWorkflows()).find((w) => w.key === 'geburtsurkunde')!;
    const definition = definitionSchema.parse(workflow.definition);
    const sample = (title: RegExp): Sample => workflow.samples.find((s) => title.test(s.title))!;
    const happy = sample(/Postfach/);
    const overdue = sample(/keine Zahlung/);
    const personOf = (s: Sample) => s.data.person as Record<string, string>;

    const doubles: AllDoubles = await startAllDoubles({
      fachverfahrenSeed: {
        standesamt: [happy, overdue].map((s, i) => ({
          ...personOf(s),
          birthName: personOf(s).familyName,
          registerNumber: `G ${812 + i}/1990`,
        })),
      },
    });
    cleanups.push(() => doubles.close());

    // First life: applications up to where they wait, then everything is closed.
    const t0 = Date.now();
    const first = await openApp(new TestClock(new Date(t0)));
    await seedDemo(first.services, 'demo');
    const admin = await first.login('admin');
    await configureConnectors(first.call, admin, doubles);

    const submit = async (data: Record<string, unknown>) => {
      const res = await first.call('POST', '/api/applications', { body: { procedure: 'geburtsurkunde', data } });
      expect(res.status).toBe(201);
      return res.body as { caseId: string; trackingCode: string };
    };
    const waiting = [];
    for (let i = 0; i < WAITING; i++) waiting.push(await submit(overdue.data));
    const atTask = await submit(happy.data);
    await first.settleJobs();

    const worker = await first.login('sachbearbeitung');
    for (const { caseId } of [...waiting, atTask]) {
      const detail = await first.call('GET', `/api/cases/${caseId}`, { token: worker });
      expect(detail.body.state).toBe('awaitPayment');
    }
    // The citizen pays; the provider's signed notification moves the case on to the review task.
    const paymentId = (await first.call('GET', `/api/cases/${atTask.caseId}`, { token: worker })).body.variables
      .paymentId as string;
    await doubles.payment.pay(paymentId);
    const notification = JSON.stringify({ paymentId });
    const notified = await first.call('POST', '/api/hooks/demo/payment@1', {
      body: notification,
      headers: signNotification(notification, WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
    });
    expect(notified.status).toBe(200);
    const inbox = await first.call('GET', '/api/tasks?scope=group&state=open&limit=200', { token: worker });
    const task = inbox.body.find((t: { caseId: string }) => t.caseId === atTask.caseId);
    expect(task).toMatchObject({ title: definition.states.review!.title, assignee: null });
    expect((await first.call('POST', `/api/tasks/${task.id}/claim`, { token: worker })).status).toBe(200);
    await first.close();

    // Second life: a new app on the same file, its clock just before the payment deadline: nothing is due yet.
    const clock = new TestClock(new Date(t0 + 7 * DAY - MARGIN));
    const second = await openApp(clock);
    expect(await within(second.services.timers.runOnce(), 'timers.runOnce before the deadline')).toBe(0);

    // Past the deadline three runners fire at once: this app and two more processes on the same file.
    clock.advance(2 * MARGIN);
    const [a, b] = await Promise.all([
      startTimerProcess(clock.now().getTime()),
      startTimerProcess(clock.now().getTime()),
    ]);
    const waitingIds = waiting.map((w) => w.caseId).sort();
    // Both processes see the same due timers and keep that list; then all three runners fire at the same time.
    expect(((await a.ask('due')).due as string[]).sort()).toEqual(waitingIds);
    expect(((await b.ask('due')).due as string[]).sort()).toEqual(waitingIds);
    const settled = await Promise.allSettled([
      a.ask('runOnce').then((answer) => answer.fired as number),
      b.ask('runOnce').then((answer) => answer.fired as number),
      within(second.services.timers.runOnce(), 'timers.runOnce after the restart', 20_000),
    ]);
    const rounds = settled.map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${r.reason}`));
    expect(
      rounds.every((r) => typeof r === 'number'),
      `runner rounds: ${rounds.join(' | ')}`,
    ).toBe(true);
    expect(
      (rounds as number[]).reduce((sum, n) => sum + n, 0),
      `fired per runner: ${rounds.join(', ')}`,
    ).toBe(WAITING);
    // The lists they read before the others fired are stale now: firing them again changes nothing.
    const stale = await Promise.all([a.ask('fireSeen'), b.ask('fireSeen')]);
    expect(stale.map((r) => r.fired)).toEqual([0, 0]);
    expect(await within(second.services.timers.runOnce(), 'timers.runOnce, second round')).toBe(0);
    expect(await within(second.services.timers.runOnce(), 'timers.runOnce, third round')).toBe(0);

    const worker2 = await second.login('sachbearbeitung');
    const cancelled = definition.states.cancelled!;
    if (cancelled.kind !== 'final') throw new Error('„cancelled“ is no final state');
    for (const w of waiting) {
      const detail = await second.call('GET', `/api/cases/${w.caseId}`, { token: worker2 });
      const timeouts = detail.body.history.filter((h: { event: string | null }) => h.event === 'timeout');
      expect(timeouts, `timeouts of ${detail.body.caseNumber}`).toHaveLength(1);
      expect(timeouts[0]).toMatchObject({ kind: 'transition', fromState: 'awaitPayment', toState: 'cancelled' });
      expect(detail.body).toMatchObject({ state: 'cancelled', status: 'done', outcome: cancelled.outcome });
      expect(detail.body.tasks.filter((t: { status: string }) => t.status === 'open')).toEqual([]);
      const status = await second.call('GET', `/api/status/${w.trackingCode}`);
      const labels = status.body.history.map((h: { status: string }) => h.status);
      expect(labels.at(-1)).toBe(cancelled.status);
      expect(labels).toEqual(overdue.statusLabels);
      expect(status.body).toMatchObject({ status: cancelled.status, done: true });
    }

    // The paid case left its timeout behind: it still waits at the task its caseworker claimed before the restart.
    let detail = await second.call('GET', `/api/cases/${atTask.caseId}`, { token: worker2 });
    expect(detail.body).toMatchObject({ state: 'review', status: 'active' });
    expect(detail.body.history.some((h: { event: string | null }) => h.event === 'timeout')).toBe(false);
    const mine = await second.call('GET', '/api/tasks?scope=mine&state=open&limit=200', { token: worker2 });
    expect(mine.body.map((t: { id: string }) => t.id)).toContain(task.id);
    const review = happy.path.find((p) => p.expect === 'review')!.send as { type: string; data: object };
    const completed = await second.call('POST', `/api/tasks/${task.id}/complete`, {
      token: worker2,
      body: { outcome: review.type.replace(/^task:/, ''), data: review.data },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    await second.settleJobs();

    detail = await second.call('GET', `/api/cases/${atTask.caseId}`, { token: worker2 });
    expect(detail.body).toMatchObject({ state: happy.final, status: 'done', publicStatus: 'Abgeschlossen' });
    expect(detail.body.jobs.map((j: { status: string }) => j.status)).toEqual(detail.body.jobs.map(() => 'done'));
    const deliveryKey = `${atTask.caseId}:deliverPostbox:1`;
    expect(doubles.postbox.deliveries(deliveryKey)).toBe(1);
    const certificate = doubles.postbox.messages.find((m) => m.idempotencyKey === deliveryKey);
    expect(certificate?.attachments?.[0]).toMatchObject({ contentType: 'application/pdf' });
    const status = await second.call('GET', `/api/status/${atTask.trackingCode}`);
    expect(status.body.history.map((h: { status: string }) => h.status)).toEqual(happy.statusLabels);
  }, 180_000);
});
