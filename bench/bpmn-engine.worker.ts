/**
 * Reference point of BENCHMARKS.md: W1 on bpmn-engine (npm), one case at a time, its state persisted to SQLite
 * (synchronous=FULL) at the wait state (the review) and at the end; the case resumes from the stored state. Service
 * tasks answer at once, like the W1 connectors. Reports cases per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import { uuidv7 } from 'uuidv7';
import { peakRssMiB } from './stats.ts';
import { w1Application } from './w1.definition.ts';

type Args = { durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

const source = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="w1-definitions" targetNamespace="http://example.org/w1">
  <process id="w1" isExecutable="true">
    <startEvent id="start" />
    <exclusiveGateway id="validate" default="toReview" />
    <userTask id="review" />
    <serviceTask id="pay" implementation="\${environment.services.pay}" />
    <serviceTask id="issue" implementation="\${environment.services.issue}" />
    <serviceTask id="deliver" implementation="\${environment.services.deliver}" />
    <endEvent id="issued" />
    <endEvent id="rejected" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="validate" />
    <sequenceFlow id="toRejected" sourceRef="validate" targetRef="rejected">
      <conditionExpression xsi:type="tFormalExpression">\${environment.variables.invalid}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toReview" sourceRef="validate" targetRef="review" />
    <sequenceFlow id="f3" sourceRef="review" targetRef="pay" />
    <sequenceFlow id="f4" sourceRef="pay" targetRef="issue" />
    <sequenceFlow id="f5" sourceRef="issue" targetRef="deliver" />
    <sequenceFlow id="f6" sourceRef="deliver" targetRef="issued" />
  </process>
</definitions>`;

type Callback = (error: Error | null, result?: unknown) => void;
const immediate = (name: string) => (_context: unknown, callback: Callback) => callback(null, { [name]: 'ok' });
const services = { pay: immediate('paymentId'), issue: immediate('documentId'), deliver: immediate('messageId') };

const dir = mkdtempSync(join(tmpdir(), 'bench-bpmn-'));
const db = new SQLite(join(dir, 'bpmn.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table cases (id text primary key, state text not null, done integer not null)');
const insert = db.prepare('insert into cases values (?, ?, 0)');
const finish = db.prepare('update cases set state = ?, done = 1 where id = ?');
const load = db.prepare('select state from cases where id = ?');

// Parsed once, as a deployed definition would be; each case builds its engine from the parsed model.
const moddleContext = await new BpmnModdle().fromXML(source);

async function runCase(n: number): Promise<void> {
  const id = uuidv7();
  const engine = new Engine({ name: id, moddleContext, services });
  const waiting = new Promise<void>((resolve) =>
    engine.broker.subscribeOnce('event', 'activity.wait', () => resolve()),
  );
  await engine.execute({ variables: { ...w1Application(n), invalid: false } });
  await waiting;
  insert.run(id, JSON.stringify(await engine.getState()));
  await engine.stop();

  const stored = load.get(id) as { state: string };
  const resumed = new Engine({ name: id, services }).recover(JSON.parse(stored.state));
  const ended = new Promise<void>((resolve, reject) => {
    resumed.once('end', () => resolve());
    resumed.once('error', reject);
  });
  const execution = await resumed.resume();
  execution.signal({ id: 'review' });
  await ended;
  finish.run(JSON.stringify(await resumed.getState()), id);
}

async function measure(ms: number, from: number): Promise<{ cases: number; elapsedMs: number }> {
  const started = performance.now();
  let cases = 0;
  while (performance.now() - started < ms) await runCase(from + cases++);
  return { cases, elapsedMs: performance.now() - started };
}

const warm = await measure(args.warmupMs, 0);
const { cases, elapsedMs } = await measure(args.durationMs, warm.cases);
db.close();
rmSync(dir, { recursive: true, force: true });
process.send?.({ type: 'result', casesPerSecond: (cases / elapsedMs) * 1000, peakRssMiB: peakRssMiB() });
