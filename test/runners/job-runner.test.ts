import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError, defineConnector } from '../../engine/connectors/connector.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import type { JobRow } from '../../engine/runtime/ports.ts';
import { parseConfig } from '../../server/config.ts';
import { createServices, type Services } from '../../server/services.ts';
import { KyselyEngineStore } from '../../server/store/engine-store.kysely.ts';
import { dialectsUnderTest } from '../support/dialects.ts';
import { TestClock } from '../support/harness.ts';

/** What the probe connector should do next, and every call it saw (its effects, by idempotency key). */
const script: { mode: 'ok' | 'retryable' | 'final' | 'hang'; calls: string[] } = { mode: 'ok', calls: [] };

const probe = defineConnector({
  id: 'probe@1',
  title: 'Testanbindung',
  config: z.object({}),
  operations: {
    call: {
      title: 'Aufruf',
      input: z.object({ value: z.string() }),
      output: z.object({ echo: z.string() }),
      retry: 'safe',
      timeoutMs: 200,
      async run(input, ctx) {
        script.calls.push(ctx.idempotencyKey);
        if (script.mode === 'retryable') throw new ConnectorError('unavailable', 'nicht erreichbar', true);
        if (script.mode === 'final') throw new ConnectorError('rejected', 'abgelehnt', false);
        if (script.mode === 'hang') {
          await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
        }
        return { echo: input.value };
      },
    },
    once: {
      title: 'Nicht wiederholbar',
      input: z.object({ value: z.string() }),
      output: z.object({ echo: z.string() }),
      retry: 'never',
      async run(input, ctx) {
        script.calls.push(ctx.idempotencyKey);
        return { echo: input.value };
      },
    },
  },
});

const definition = (operation: string) =>
  definitionSchema.parse({
    schemaVersion: 1,
    key: `probe-${operation}`,
    title: 'Probe',
    caseNumberPrefix: 'PRB',
    form: { type: 'object', properties: { value: { type: 'string' } } },
    initial: 'call',
    states: {
      call: {
        kind: 'service',
        connector: 'probe@1',
        operation,
        input: { value: 'value' },
        result: { echo: 'result.echo' },
        retry: { maxAttempts: 3, initialDelay: 'PT10S', maxDelay: 'PT1M', factor: 2 },
        transitions: [{ on: 'done', target: 'done' }],
      },
      done: { kind: 'final', outcome: 'ok', status: 'Erledigt' },
    },
  });

/** `probe-call` with a way out: a call that fails for good takes the `failed` transition to a caseworker. */
const withFallback = () => {
  const base = definition('call');
  const call = base.states.call!;
  if (call.kind !== 'service') throw new Error('call is a service state');
  return definitionSchema.parse({
    ...base,
    key: 'probe-fallback',
    states: {
      ...base.states,
      call: { ...call, transitions: [...call.transitions, { on: 'failed', target: 'manual' }] },
      manual: { kind: 'final', outcome: 'manual', status: 'Von Hand' },
    },
  });
};

describe.each(dialectsUnderTest())('job runner on $name', (dialect) => {
  let services: Services;
  let clock: TestClock;
  let dir: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-'));
    const db = await dialect.open();
    drop = db.drop;
    clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
    const config = parseConfig({
      DATA_DIR: dir,
      DATABASE_URL: db.databaseUrl ?? join(dir, 'jobs.db'),
      LOG_LEVEL: 'silent',
      JOB_LEASE_MS: '1000',
      SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    services = await createServices(config, { connectors: [probe], clock });
    await services.identity.ensureTenant('t', 'Test', 'NW', clock.now());
    for (const procedure of [definition('call'), definition('once'), withFallback()]) {
      await services.procedures.saveDraft('t', procedure, clock.now());
      await services.procedures.publish('t', procedure.key, 'test', services.ids.id(), clock.now());
    }
  });
  afterAll(async () => {
    await services.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (operation: string, value: string) =>
    services.engine.start({
      tenantId: 't',
      procedureKey: `probe-${operation}`,
      version: 1,
      data: { value },
      actor: { kind: 'citizen' },
    });
  const jobsOf = async (caseId: string) => services.queries.caseJobs('t', caseId);
  /** Expects the history of one call: start, the attempt's call entry, then the transition it caused to `end`. */
  const callThenTransition = async (caseId: string, end: string) => {
    const history = await services.queries.history('t', caseId);
    expect(history.map((h) => [h.kind, h.toState ?? h.fromState])).toEqual([
      ['started', 'call'],
      ['call', 'call'],
      ['transition', end],
      ['status', end],
    ]);
    return history[1];
  };

  it('runs a job and applies the result mapping', async () => {
    script.mode = 'ok';
    const row = await start('call', 'a');
    expect(await services.jobs.runOnce()).toBeGreaterThanOrEqual(1);
    const after = await services.queries.case('t', row.id);
    expect(after).toMatchObject({ state: 'done', status: 'done' });
    expect(after?.snapshot.context.vars.echo).toBe('a');
    const call = await callThenTransition(row.id, 'done');
    expect(call?.detail).toMatchObject({ connector: 'probe@1', operation: 'call', outcome: 'succeeded' });
  });

  it('retries with exponential backoff and jitter, then leaves an incident after the last attempt', async () => {
    script.mode = 'retryable';
    const row = await start('call', 'b');
    await services.jobs.runOnce();
    let [job] = await jobsOf(row.id);
    expect(job).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/unavailable/) });
    const firstDelay = job!.nextRunAt.getTime() - clock.now().getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(5_000);
    expect(firstDelay).toBeLessThanOrEqual(10_000);
    expect(await services.jobs.runOnce()).toBe(0);
    clock.advance(10_000);
    await services.jobs.runOnce();
    [job] = await jobsOf(row.id);
    const secondDelay = job!.nextRunAt.getTime() - clock.now().getTime();
    expect(secondDelay).toBeGreaterThanOrEqual(10_000);
    expect(secondDelay).toBeLessThanOrEqual(20_000);
    clock.advance(20_000);
    await services.jobs.runOnce();
    [job] = await jobsOf(row.id);
    expect(job).toMatchObject({ status: 'incident', attempts: 3 });
    expect((await services.queries.incidents('t')).map((i) => i.id)).toContain(job!.id);
    expect((await services.queries.history('t', row.id)).map((h) => h.kind)).toContain('incident');

    script.mode = 'ok';
    expect(await services.queries.retryIncident('t', job!.id, clock.now())).toBe(true);
    await services.jobs.runOnce();
    expect(await services.queries.case('t', row.id)).toMatchObject({ state: 'done' });
    expect(new Set(script.calls.filter((k) => k.startsWith(row.id)))).toEqual(new Set([job!.idempotencyKey]));
  });

  it('does not retry a final error and aborts a call that exceeds its timeout', async () => {
    script.mode = 'final';
    const rejected = await start('call', 'c');
    await services.jobs.runOnce();
    expect((await jobsOf(rejected.id))[0]).toMatchObject({
      status: 'incident',
      attempts: 1,
      lastError: expect.stringMatching(/rejected/),
    });

    script.mode = 'hang';
    const slow = await start('call', 'd');
    await services.jobs.runOnce();
    expect((await jobsOf(slow.id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringMatching(/timeout/),
    });
  });

  it('takes the failed transition after a final error, the call entry before it', async () => {
    script.mode = 'final';
    const row = await start('fallback', 'f');
    await services.jobs.runOnce();
    expect(await services.queries.case('t', row.id)).toMatchObject({ state: 'manual', status: 'done' });
    expect((await jobsOf(row.id))[0]).toMatchObject({ status: 'failed', attempts: 1 });
    const call = await callThenTransition(row.id, 'manual');
    expect(call?.detail).toMatchObject({ outcome: 'failed', code: 'rejected' });
  });

  it('fences a runner whose lease ran out: its late result changes nothing, the new holder’s result counts once', async () => {
    script.mode = 'ok';
    const row = await start('call', 'e');
    const store = new KyselyEngineStore(services.database);
    const [stale] = (
      await store.claimJobs(clock.now(), () => 'runner-a', new Date(clock.now().getTime() + 1000), 50)
    ).filter((j) => j.caseId === row.id);
    expect(stale).toBeDefined();
    clock.advance(5_000);
    await services.jobs.runOnce();
    const afterTakeover = await services.queries.case('t', row.id);
    expect(afterTakeover).toMatchObject({ state: 'done', version: 2 });
    expect(await services.engine.jobSucceeded(stale as JobRow, 'runner-a', { echo: 'spät' })).toBe(false);
    const final = await services.queries.case('t', row.id);
    expect(final).toMatchObject({ version: 2 });
    expect(final?.snapshot.context.vars.echo).toBe('e');
  });

  it('never repeats a retry=never operation whose runner died mid-call: it becomes an incident to check', async () => {
    const row = await start('once', 'f');
    const store = new KyselyEngineStore(services.database);
    await store.claimJobs(clock.now(), () => 'runner-dead', new Date(clock.now().getTime() + 1000), 50);
    clock.advance(5_000);
    await services.jobs.runOnce();
    expect(script.calls.filter((key) => key.startsWith(row.id))).toEqual([]);
    expect((await jobsOf(row.id))[0]).toMatchObject({
      status: 'incident',
      lastError: expect.stringMatching(/outcome_unknown/),
    });
  });
});
