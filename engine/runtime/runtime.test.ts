import { describe, expect, it } from 'vitest';
import { stateSchema } from '../definition/definition.schema.ts';
import { sampleDefinition } from '../testing/sample-definition.ts';
import { EventNotAcceptedError, ProcedureRuntime } from './runtime.ts';

const env = { now: new Date('2026-12-21T10:00:00Z'), calendar: { land: 'NW' as const }, caseId: 'c1' };
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('ProcedureRuntime', () => {
  const runtime = new ProcedureRuntime(sampleDefinition());

  it('starts through a decision into a service step and emits the job with evaluated input', () => {
    const step = runtime.start({ name: 'Anna', amount: 150 }, env);
    expect(step.to).toBe('lookup');
    expect(step.effects).toEqual([
      { type: 'status', label: 'Eingegangen' },
      expect.objectContaining({
        type: 'job.enqueue',
        connector: 'fachverfahren-http@1',
        input: { register: 'probe', query: { name: 'Anna' } },
        idempotencyKey: 'c1:lookup:1',
      }),
    ]);
    expect(step.snapshot.context.vars).toMatchObject({ name: 'Anna', amount: 150, limit: 100 });
  });

  it('rejects events the current state does not take', () => {
    const step = runtime.start({ name: 'Anna', amount: 150 }, env);
    expect(() => runtime.send(step.snapshot, { type: 'task:approve' }, env)).toThrow(EventNotAcceptedError);
    expect(runtime.accepts(step.snapshot, { type: 'timeout' })).toBe(false);
    expect(runtime.accepts(step.snapshot, { type: 'job:done', result: {} })).toBe(true);
  });

  it('applies result mappings, creates the task with due date and boundary timer, and survives a JSON round trip', () => {
    const started = runtime.start({ name: 'Anna', amount: 150 }, env);
    const looked = runtime.send(roundTrip(started.snapshot), { type: 'job:done', result: { found: true } }, env);
    expect(looked.to).toBe('review');
    expect(looked.snapshot.context.vars.found).toBe(true);
    expect(looked.effects).toEqual([
      { type: 'status', label: 'In Bearbeitung' },
      {
        type: 'task.create',
        state: 'review',
        title: 'Prüfen',
        group: 'team',
        dueAt: new Date('2026-12-29T22:59:59.999Z'),
      },
      { type: 'timer.schedule', state: 'review', dueAt: new Date('2026-12-28T10:00:00.000Z'), visit: 1 },
    ]);
    const approved = runtime.send(roundTrip(looked.snapshot), { type: 'task:approve', data: { note: 'ok' } }, env);
    expect(approved.to).toBe('pay');
    expect(approved.effects.slice(0, 2)).toEqual([
      { type: 'task.cancel', state: 'review' },
      { type: 'timer.cancel', state: 'review' },
    ]);
    expect(approved.snapshot.context.vars.note).toBe('ok');
  });

  it('guards see the event data: a small amount is approved directly and the case ends', () => {
    const started = runtime.start({ name: 'Bo', amount: 5 }, env);
    const looked = runtime.send(started.snapshot, { type: 'job:done', result: { found: false } }, env);
    const done = runtime.send(looked.snapshot, { type: 'task:approve' }, env);
    expect(done.to).toBe('approved');
    expect(done.snapshot.status).toBe('done');
    expect(done.outcome).toBe('approved');
    expect(() => runtime.send(done.snapshot, { type: 'task:approve' }, env)).toThrow(EventNotAcceptedError);
  });

  it('takes the timeout path of a wait state and the failed path of a service', () => {
    const started = runtime.start({ name: 'Anna', amount: 150 }, env);
    const failed = runtime.send(started.snapshot, { type: 'job:failed', error: { code: 'x', message: 'y' } }, env);
    expect(failed.to).toBe('rejected');
    const looked = runtime.send(
      runtime.start({ name: 'A', amount: 150 }, env).snapshot,
      { type: 'job:done', result: {} },
      env,
    );
    const paying = runtime.send(looked.snapshot, { type: 'task:approve' }, env);
    expect(runtime.send(paying.snapshot, { type: 'timeout' }, env).to).toBe('rejected');
    const paid = runtime.send(paying.snapshot, { type: 'message:payment.paid', data: { paymentId: 'p1' } }, env);
    expect(paid.to).toBe('cooldown');
    expect(paid.effects.find((e) => e.type === 'timer.schedule')).toMatchObject({ state: 'cooldown' });
    expect(runtime.send(paid.snapshot, { type: 'timeout' }, env).to).toBe('approved');
  });

  it('schedules a timer at an instant computed from the case data', () => {
    const def = sampleDefinition();
    def.form.properties.pickup = { type: 'string', format: 'date' };
    def.states.cooldown = stateSchema.parse({
      kind: 'timer',
      delay: { at: 'date(pickup) - duration("P2D")' },
      transitions: [{ on: 'timeout', target: 'approved' }],
    });
    const timed = new ProcedureRuntime(def);
    const looked = timed.send(
      timed.start({ name: 'A', amount: 150, pickup: '2027-01-13' }, env).snapshot,
      { type: 'job:done', result: {} },
      env,
    );
    const paying = timed.send(looked.snapshot, { type: 'task:approve' }, env);
    const paid = timed.send(paying.snapshot, { type: 'message:payment.paid' }, env);
    expect(paid.effects.find((e) => e.type === 'timer.schedule')).toMatchObject({
      state: 'cooldown',
      dueAt: new Date('2027-01-11T07:00:00.000Z'),
    });
  });

  it('counts visits so re-entering a service step gets a new idempotency key', () => {
    const def = sampleDefinition();
    def.states.lookup!.transitions = [
      { on: 'done', target: 'lookup', guard: 'result.again = true' },
      { on: 'done', target: 'review' },
    ];
    const loop = new ProcedureRuntime(def);
    const first = loop.start({ name: 'A', amount: 1 }, env);
    const second = loop.send(first.snapshot, { type: 'job:done', result: { again: true } }, env);
    expect(second.to).toBe('lookup');
    expect(second.effects.find((e) => e.type === 'job.enqueue')).toMatchObject({ idempotencyKey: 'c1:lookup:2' });
  });

  it('does not take an event whose guards are all false, exactly as can() says, and leaves the snapshot alone', () => {
    const def = sampleDefinition();
    def.states.lookup!.transitions = [
      { on: 'done', target: 'review', guard: 'result.found = true' },
      { on: 'failed', target: 'rejected', guard: 'false' },
    ];
    const guarded = new ProcedureRuntime(def);
    const started = guarded.start({ name: 'A', amount: 1 }, env);
    const before = roundTrip(started.snapshot);
    for (const event of [
      { type: 'job:done', result: { found: false } },
      { type: 'job:failed', error: { code: 'x', message: 'y' } },
      { type: 'task:approve' },
    ] as const) {
      expect(guarded.accepts(started.snapshot, event)).toBe(false);
      expect(() => guarded.send(started.snapshot, event, env)).toThrow(EventNotAcceptedError);
    }
    expect(started.snapshot).toEqual(before);
    expect(guarded.send(started.snapshot, { type: 'job:done', result: { found: true } }, env).to).toBe('review');
  });

  it('rejects events in a decision no transition leaves and in a finished case', () => {
    const def = sampleDefinition();
    def.states.check!.transitions = [{ target: 'rejected', guard: 'amount < 0' }];
    const stuck = new ProcedureRuntime(def);
    const started = stuck.start({ name: 'A', amount: 1 }, env);
    expect(started.to).toBe('check');
    expect(() => stuck.send(started.snapshot, { type: 'timeout' }, env)).toThrow(EventNotAcceptedError);
    const done = runtime.start({ name: 'A', amount: -1 }, env);
    expect(done.snapshot.status).toBe('done');
    expect(() => runtime.send(done.snapshot, { type: 'timeout' }, env)).toThrow(EventNotAcceptedError);
  });

  it('keeps steps independent when one runtime serves many cases, also after a step threw', () => {
    const a = runtime.start({ name: 'A', amount: 150 }, env);
    expect(() => runtime.send(a.snapshot, { type: 'task:approve' }, env)).toThrow(EventNotAcceptedError);
    const b = runtime.start({ name: 'B', amount: 150 }, { ...env, caseId: 'c2' });
    const next = runtime.send(a.snapshot, { type: 'job:done', result: { found: true } }, env);
    expect(b.effects.map((e) => e.type)).toEqual(['status', 'job.enqueue']);
    expect(next.effects.map((e) => e.type)).toEqual(['status', 'task.create', 'timer.schedule']);
  });
});
