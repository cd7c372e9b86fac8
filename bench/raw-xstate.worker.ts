/**
 * Reference point of BENCHMARKS.md: raw XState v5 and better-sqlite3, no engine around them. W1 as a hand-written
 * machine, one case at a time, one transaction per step (start, review, payment, document, postbox); `memory` keeps
 * the serialized snapshots in a Map instead. Reports cases per second and peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { type AnyMachineSnapshot, assign, createMachine, initialTransition, transition } from 'xstate';
import { peakRssMiB } from './stats.ts';
import { w1Application } from './w1.definition.ts';

type Args = { mode: 'memory' | 'NORMAL' | 'FULL'; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

type Context = { data: Record<string, unknown>; results: Record<string, unknown> };
type Event = { type: 'approve' } | { type: 'done'; result: unknown };

const machine = createMachine({
  types: {} as { context: Context; events: Event; input: { data: Record<string, unknown> } },
  context: ({ input }) => ({ data: input.data, results: {} }),
  initial: 'validate',
  states: {
    validate: {
      always: [
        {
          target: 'rejected',
          guard: ({ context }) => (context.data.request as { copies: number }).copies > 10,
        },
        { target: 'review' },
      ],
    },
    review: { on: { approve: 'pay' } },
    pay: { on: { done: { target: 'issue', actions: assign({ results: ({ event }) => ({ pay: event }) }) } } },
    issue: { on: { done: { target: 'deliver', actions: assign({ results: ({ event }) => ({ issue: event }) }) } } },
    deliver: { on: { done: 'issued' } },
    issued: { type: 'final' },
    rejected: { type: 'final' },
  },
});

/** Persistence of one step: the SQLite tables of a minimal engine, or a Map. */
type Persist = {
  start(id: string, snapshot: string, taskId: string): void;
  step(id: string, snapshot: string, state: string, jobState: string | null, previous: string): void;
  close(): void;
};

function sqlitePersist(dir: string, synchronous: 'NORMAL' | 'FULL'): Persist {
  const db = new SQLite(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`create table cases (id text primary key, state text, snapshot text, version integer);
    create table tasks (id text primary key, case_id text, status text);
    create table jobs (id text primary key, case_id text, state text, status text);
    create table history (id text primary key, case_id text, to_state text, at integer);
    create index jobs_by_case on jobs (case_id, state); create index tasks_by_case on tasks (case_id)`);
  const insertCase = db.prepare('insert into cases values (?, ?, ?, 1)');
  const updateCase = db.prepare('update cases set state = ?, snapshot = ?, version = version + 1 where id = ?');
  const insertTask = db.prepare(`insert into tasks values (?, ?, 'open')`);
  const finishTask = db.prepare(`update tasks set status = 'done' where case_id = ?`);
  const insertJob = db.prepare(`insert into jobs values (?, ?, ?, 'pending')`);
  const finishJob = db.prepare(`update jobs set status = 'done' where case_id = ? and state = ?`);
  const history = db.prepare('insert into history values (?, ?, ?, ?)');
  const start = db.transaction((id: string, snapshot: string, taskId: string) => {
    insertCase.run(id, 'review', snapshot);
    insertTask.run(taskId, id);
    history.run(uuidv7(), id, 'review', Date.now());
  });
  const step = db.transaction(
    (id: string, snapshot: string, state: string, jobState: string | null, previous: string) => {
      if (previous === 'review') finishTask.run(id);
      else finishJob.run(id, previous);
      updateCase.run(state, snapshot, id);
      if (jobState) insertJob.run(uuidv7(), id, jobState);
      history.run(uuidv7(), id, state, Date.now());
    },
  );
  return { start: (...a) => start(...a), step: (...a) => step(...a), close: () => db.close() };
}

function memoryPersist(): Persist {
  const cases = new Map<string, string>();
  return {
    start: (id, snapshot) => cases.set(id, snapshot),
    step: (id, snapshot) => cases.set(id, snapshot),
    close: () => cases.clear(),
  };
}

function runCase(persist: Persist, n: number): void {
  const id = uuidv7();
  let [snapshot] = initialTransition(machine, { data: w1Application(n) });
  persist.start(id, JSON.stringify(snapshot), uuidv7());
  const events: Event[] = [{ type: 'approve' }, { type: 'done', result: { paymentId: `p${n}` } }];
  events.push({ type: 'done', result: { documentId: `d${n}` } }, { type: 'done', result: { messageId: `m${n}` } });
  for (const event of events) {
    const previous = String(snapshot.value);
    // Each step starts from the stored snapshot, as an engine does after a restart or in another process.
    const restored: AnyMachineSnapshot = machine.resolveState(JSON.parse(JSON.stringify(snapshot)));
    [snapshot] = transition(machine, restored, event);
    const state = String(snapshot.value);
    persist.step(id, JSON.stringify(snapshot), state, snapshot.status === 'done' ? null : state, previous);
  }
  if (snapshot.value !== 'issued') throw new Error(`raw W1 ended in ${String(snapshot.value)}`);
}

function measure(persist: Persist, ms: number, from: number): { cases: number; elapsedMs: number } {
  const started = performance.now();
  let cases = 0;
  while (performance.now() - started < ms) runCase(persist, from + cases++);
  return { cases, elapsedMs: performance.now() - started };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-raw-'));
const persist = args.mode === 'memory' ? memoryPersist() : sqlitePersist(dir, args.mode);
const warm = measure(persist, args.warmupMs, 0);
const { cases, elapsedMs } = measure(persist, args.durationMs, warm.cases);
persist.close();
rmSync(dir, { recursive: true, force: true });
process.send?.({ type: 'result', casesPerSecond: (cases / elapsedMs) * 1000, peakRssMiB: peakRssMiB() });
