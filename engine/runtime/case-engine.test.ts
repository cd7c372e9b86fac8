import { describe, expect, it } from 'vitest';
import { type Definition, definitionSchema } from '../definition/definition.schema.ts';
import { sampleDefinition } from '../testing/sample-definition.ts';
import { CaseEngine, TaskStateError } from './case-engine.ts';
import { type ConnectorHost, JobRunner } from './job-runner.ts';
import { MemoryEngineStore } from './memory-store.ts';
import type { EngineTx, JobDispatch, JobRow } from './ports.ts';
import { EventNotAcceptedError, ProcedureRuntime } from './runtime.ts';
import { TimerRunner } from './timer-runner.ts';

/** A memory store whose next write fails after its step ran, as a failed COMMIT would. */
class FailingCommitStore extends MemoryEngineStore {
  failNext = false;
  override write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    return super.write(async (tx) => {
      const result = await fn(tx);
      if (this.failNext) {
        this.failNext = false;
        throw new Error('disk I/O error');
      }
      return result;
    });
  }
}

/** Two connector calls in a row, then the end: each call's result enqueues the next job in the same step. */
const chainedCalls = () => {
  const call = (then: string) => ({
    kind: 'service',
    connector: 'fachverfahren-http@1',
    operation: 'lookup',
    input: { query: 'name' },
    transitions: [{ on: 'done', target: then }],
  });
  return definitionSchema.parse({
    ...sampleDefinition(),
    initial: 'first',
    states: { first: call('second'), second: call('done'), done: { kind: 'final', outcome: 'ok', status: 'Erledigt' } },
  });
};

function setup(options: { batchSize?: number; definition?: Definition } = {}) {
  let now = new Date('2026-12-21T10:00:00Z');
  let n = 0;
  const store = new FailingCommitStore();
  const clock = { now: () => now };
  const ids = { id: () => `id-${String(++n).padStart(4, '0')}`, trackingCode: () => `TRACK${n}` };
  const runtime = new ProcedureRuntime(options.definition ?? sampleDefinition());
  const engine = new CaseEngine({
    store,
    clock,
    ids,
    procedures: { runtime: async () => runtime, calendar: async () => ({ land: 'NW' }) },
  });
  const calls: string[] = [];
  const host: ConnectorHost = {
    describe: () => ({ retry: 'safe', timeoutMs: 1000 }),
    async invoke(job: JobRow) {
      calls.push(job.idempotencyKey);
      return { found: true };
    },
  };
  const jobs = new JobRunner({ store, engine, connectors: host, clock, ids, batchSize: options.batchSize });
  const timers = new TimerRunner({ store, engine, clock });
  return { store, engine, jobs, timers, calls, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const start = (engine: CaseEngine, amount: number) =>
  engine.start({
    tenantId: 't',
    procedureKey: 'probe',
    version: 1,
    data: { name: 'Anna', amount },
    actor: { kind: 'citizen' },
  });

describe('CaseEngine on the memory store', () => {
  it('numbers cases, writes effects with the snapshot and records history and public status', async () => {
    const { store, engine } = setup();
    const first = await start(engine, 150);
    const second = await start(engine, 150);
    expect(first.caseNumber).toBe('PRB-2026-000001');
    expect(second.caseNumber).toBe('PRB-2026-000002');
    expect(first).toMatchObject({ state: 'lookup', publicStatus: 'Eingegangen', version: 1 });
    expect(store.jobsOf(first.id)).toEqual([
      expect.objectContaining({ idempotencyKey: `${first.id}:lookup:1`, status: 'pending' }),
    ]);
    expect(store.history.filter((h) => h.caseId === first.id).map((h) => h.kind)).toEqual(['started', 'status']);
  });

  it('runs jobs, completes tasks only for their holder, and rejects events the state does not take', async () => {
    const { store, engine, jobs, calls } = setup();
    const row = await start(engine, 150);
    await jobs.runOnce();
    expect(calls).toEqual([`${row.id}:lookup:1`]);
    const [task] = store.tasksOf(row.id);
    expect(task).toMatchObject({ state: 'review', status: 'open', dueAt: new Date('2026-12-29T22:59:59.999Z') });
    await expect(
      engine.completeTask({ tenantId: 't', taskId: task!.id, username: 'anna', outcome: 'approve', data: {} }),
    ).rejects.toBeInstanceOf(TaskStateError);
    await store.write(async (tx) => {
      const t = await tx.getTask('t', task!.id);
      await tx.insertTask({ ...t!, assignee: 'anna' });
    });
    await expect(
      engine.send({
        tenantId: 't',
        caseId: row.id,
        event: { type: 'message:payment.paid' },
        actor: { kind: 'citizen' },
      }),
    ).rejects.toBeInstanceOf(EventNotAcceptedError);
    const next = await engine.completeTask({
      tenantId: 't',
      taskId: task!.id,
      username: 'anna',
      outcome: 'approve',
      data: { note: 'ok' },
    });
    expect(next).toMatchObject({ state: 'pay', publicStatus: 'Zahlung ausstehend', version: 3 });
    await expect(
      engine.completeTask({ tenantId: 't', taskId: task!.id, username: 'anna', outcome: 'approve', data: {} }),
    ).rejects.toMatchObject({ code: 'task_not_open' });
  });

  it('leaves nothing behind when a step fails', async () => {
    const { store, engine } = setup();
    const row = await start(engine, 150);
    const before = store.history.length;
    await expect(
      engine.send({ tenantId: 't', caseId: row.id, event: { type: 'timeout' }, actor: { kind: 'citizen' } }),
    ).rejects.toThrow();
    expect(store.history.length).toBe(before);
    await expect(
      engine.send({ tenantId: 'other', caseId: row.id, event: { type: 'timeout' }, actor: { kind: 'citizen' } }),
    ).rejects.toMatchObject({
      code: 'case_not_found',
    });
  });

  it('fires a due timer once even when two runners see it, and cancels timers of a state it leaves', async () => {
    const { store, engine, jobs, timers, advance } = setup();
    const row = await start(engine, 150);
    await jobs.runOnce();
    advance(8 * 24 * 3600_000);
    const fired = await Promise.all([timers.runOnce(), timers.runOnce()]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    expect(store.history.filter((h) => h.caseId === row.id && h.event === 'timeout')).toHaveLength(1);
    expect(store.tasksOf(row.id)[0]).toMatchObject({ status: 'cancelled' });
  });

  it('serialises concurrent events on one case: each accepted once, in a consistent order', async () => {
    const { engine, jobs, store } = setup();
    const row = await start(engine, 150);
    await jobs.runOnce();
    const results = await Promise.allSettled([
      engine.send({ tenantId: 't', caseId: row.id, event: { type: 'timeout' }, actor: { kind: 'citizen' } }),
      engine.send({ tenantId: 't', caseId: row.id, event: { type: 'timeout' }, actor: { kind: 'citizen' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(store.history.filter((h) => h.caseId === row.id && h.event === 'timeout')).toHaveLength(1);
  });
});

describe('eager dispatch: jobs leased to the local runner in the step that enqueues them', () => {
  it('leases the job in the same transaction and runs it once the step committed, without a claim', async () => {
    const { store, engine, jobs, calls } = setup();
    engine.dispatchTo(jobs);
    const row = await start(engine, 150);
    expect(store.jobsOf(row.id)).toEqual([
      expect.objectContaining({ status: 'running', attempts: 1, leaseToken: expect.any(String), leaseExpired: false }),
    ]);
    await jobs.drain();
    expect(calls).toEqual([`${row.id}:lookup:1`]);
    expect(store.jobsOf(row.id)[0]).toMatchObject({ status: 'done', leaseToken: expect.any(String) });
    expect(store.tasksOf(row.id)).toHaveLength(1);
    expect(await jobs.runOnce()).toBe(0);
  });

  it("leaves jobs beyond the runner's room pending for a claim, and gives a rolled-back step's lease back", async () => {
    const { store, engine, jobs, calls } = setup({ batchSize: 1 });
    engine.dispatchTo(jobs);
    const [first, second] = await Promise.all([start(engine, 150), start(engine, 150)]);
    expect([store.jobsOf(first.id)[0]?.status, store.jobsOf(second.id)[0]?.status].sort()).toEqual([
      'pending',
      'running',
    ]);
    await jobs.drain();
    expect(await jobs.runOnce()).toBe(1);
    expect(calls).toHaveLength(2);
    store.failNext = true;
    await expect(start(engine, 150)).rejects.toThrow('disk I/O error');
    const third = await start(engine, 150);
    expect(store.jobsOf(third.id)[0]).toMatchObject({ status: 'running' });
    await jobs.drain();
    engine.dispatchTo(undefined);
    const fourth = await start(engine, 150);
    expect(store.jobsOf(fourth.id)[0]).toMatchObject({ status: 'pending', attempts: 0, leaseToken: null });
  });

  it("leases the next job of a case while recording the last one's result, also when the runner has room for one", async () => {
    const { store, engine, jobs, calls } = setup({ batchSize: 1, definition: chainedCalls() });
    engine.dispatchTo(jobs);
    const row = await start(engine, 150);
    await jobs.drain();
    expect(calls).toEqual([`${row.id}:first:1`, `${row.id}:second:1`]);
    expect(store.jobsOf(row.id)).toEqual([
      expect.objectContaining({ state: 'first', status: 'done', attempts: 1 }),
      expect.objectContaining({ state: 'second', status: 'done', attempts: 1 }),
    ]);
    expect(await jobs.runOnce()).toBe(0);
    expect((await store.write(async (tx) => tx.getCase('t', row.id)))?.state).toBe('done');
  });

  it('a leased job whose process died is taken over after its lease with the same idempotency key', async () => {
    const { store, engine, jobs, calls, advance } = setup();
    const lost: JobRow[] = [];
    const dying: JobDispatch = {
      reserve: (now) => ({ token: 'lease-of-a-dead-process', until: new Date(now.getTime() + 60_000) }),
      committed: (leased) => lost.push(...leased),
      abandoned: () => {},
    };
    engine.dispatchTo(dying);
    const row = await start(engine, 150);
    expect(lost).toHaveLength(1);
    expect(await jobs.runOnce()).toBe(0);
    advance(60_001);
    expect(await jobs.runOnce()).toBe(1);
    expect(calls).toEqual([`${row.id}:lookup:1`]);
    expect(store.jobsOf(row.id)[0]).toMatchObject({ status: 'done', attempts: 2, leaseExpired: true });
  });
});
