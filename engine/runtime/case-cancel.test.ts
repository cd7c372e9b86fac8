import { describe, expect, it } from 'vitest';
import { sampleDefinition } from '../testing/sample-definition.ts';
import { CaseEngine } from './case-engine.ts';
import { type ConnectorHost, JobRunner } from './job-runner.ts';
import { MemoryEngineStore } from './memory-store.ts';
import { EventNotAcceptedError, ProcedureRuntime } from './runtime.ts';

function setup() {
  let n = 0;
  const store = new MemoryEngineStore();
  const clock = { now: () => new Date('2026-12-21T10:00:00Z') };
  const ids = { id: () => `id-${String(++n).padStart(4, '0')}`, trackingCode: () => `TRACK${n}` };
  const runtime = new ProcedureRuntime(sampleDefinition());
  const engine = new CaseEngine({
    store,
    clock,
    ids,
    procedures: { runtime: async () => runtime, calendar: async () => ({ land: 'NW' }) },
  });
  const host: ConnectorHost = {
    describe: () => ({ retry: 'safe', timeoutMs: 1000 }),
    invoke: async () => ({ found: true }),
  };
  const jobs = new JobRunner({ store, engine, connectors: host, clock, ids });
  const start = () =>
    engine.start({
      tenantId: 't',
      procedureKey: 'probe',
      version: 1,
      data: { name: 'Anna', amount: 150 },
      actor: { kind: 'citizen' },
    });
  return { store, engine, jobs, start };
}

describe('CaseEngine.cancel', () => {
  it('ends the open job of a case in the same step as the case and records who cancelled it', async () => {
    const { store, engine, jobs, start } = setup();
    const row = await start();
    const cancelled = await engine.cancel({
      tenantId: 't',
      caseId: row.id,
      actor: { kind: 'user', username: 'admin' },
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', state: 'lookup', version: 2 });
    expect(store.jobsOf(row.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(await jobs.runOnce()).toBe(0);
    expect(store.history.filter((h) => h.caseId === row.id).at(-1)).toMatchObject({
      kind: 'cancelled',
      fromState: 'lookup',
      event: 'cancel',
      actor: 'admin',
    });
  });

  it('cancels open tasks, refuses later events, and is a no-op for a case that is not active', async () => {
    const { store, engine, jobs, start } = setup();
    const row = await start();
    await jobs.runOnce();
    expect(store.tasksOf(row.id)).toEqual([expect.objectContaining({ status: 'open' })]);
    await engine.cancel({ tenantId: 't', caseId: row.id, actor: { kind: 'user', username: 'admin' } });
    expect(store.tasksOf(row.id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    await expect(
      engine.send({ tenantId: 't', caseId: row.id, event: { type: 'timeout' }, actor: { kind: 'citizen' } }),
    ).rejects.toBeInstanceOf(EventNotAcceptedError);
    const entries = store.history.length;
    expect(
      await engine.cancel({ tenantId: 't', caseId: row.id, actor: { kind: 'user', username: 'admin' } }),
    ).toBeUndefined();
    expect(store.history.length).toBe(entries);
    await expect(
      engine.cancel({ tenantId: 'other', caseId: row.id, actor: { kind: 'user', username: 'admin' } }),
    ).rejects.toMatchObject({ code: 'case_not_found' });
  });
});
