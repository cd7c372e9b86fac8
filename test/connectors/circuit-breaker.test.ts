import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostboxCounterpart, startPostboxCounterpart } from '../../connectors/postbox/postbox.counterpart.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { callsOf, postboxProcedure, type Rig, startRig } from './rig.ts';

const THRESHOLD = 3;
const COOL_DOWN_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The circuit breaker per connector and tenant, against the postbox counterpart over HTTP. */
describe('circuit breaker', () => {
  let rig: Rig;
  let postbox: PostboxCounterpart;
  let admin: string;
  /** Deliveries that left the engine for the postbox (health checks of `GET /api/connectors` not counted). */
  let sent = 0;

  beforeAll(async () => {
    postbox = await startPostboxCounterpart({ apiKey: 'pf-key' });
    rig = await startRig({
      breakers: { failureThreshold: THRESHOLD, coolDownMs: COOL_DOWN_MS },
      fetch: (input, init) => {
        if (String(input).endsWith('/messages')) sent += 1;
        return fetch(input, init);
      },
    });
    await rig.configure('postbox@1', { baseUrl: postbox.url }, { apiKey: 'pf-key' });
    const definition = definitionSchema.parse({ ...postboxProcedure(), key: 'postbox-breaker' });
    const deliver = definition.states.deliver;
    if (deliver?.kind !== 'service') throw new Error('deliver is a service state');
    deliver.retry = { maxAttempts: 10, initialDelay: 'PT10S', maxDelay: 'PT1M', factor: 2 };
    await rig.publish(definition);
    // A second tenant on the same postbox: its breaker is its own.
    const now = rig.clock.now();
    await rig.services.identity.ensureTenant('other', 'Nachbarstadt', 'NW', now);
    await rig.services.connectorConfigs.save('other', 'postbox@1', { baseUrl: postbox.url }, { apiKey: 'pf-key' }, now);
    await rig.services.procedures.saveDraft('other', definition, now);
    await rig.services.procedures.publish('other', definition.key, 'prozess', rig.services.ids.id(), now);
    admin = await rig.login('admin');
  });
  afterAll(async () => {
    await rig.close();
    await postbox.close();
  });

  const circuit = async () =>
    (await rig.call('GET', '/api/connectors', { token: admin })).body.find((c: { id: string }) => c.id === 'postbox@1')
      .circuit;
  const start = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await rig.start('postbox-breaker')).id);
    return ids;
  };

  it('opens after consecutive failures, defers jobs without calling, probes after the cool-down and closes', async () => {
    // Three failures in a row open the breaker of (demo, postbox@1).
    postbox.failNext(THRESHOLD, '500');
    const first = await start(THRESHOLD);
    await rig.runJobs();
    expect(sent).toBe(THRESHOLD);
    expect(await circuit()).toBe('open');

    // While it is open, new and due jobs are rescheduled without a request.
    const later = await start(3);
    await rig.runJobs();
    rig.clock.advance(60_000);
    await rig.runJobs();
    expect(sent).toBe(THRESHOLD);
    const deferred = await callsOf(rig, later[0]!);
    expect(deferred.map((c) => [c.outcome, c.code, c.durationMs])).toEqual([
      ['retry', 'circuit_open', 0],
      ['retry', 'circuit_open', 0],
    ]);
    for (const id of [...first, ...later]) expect((await rig.jobsOf(id))[0]!.status).toBe('pending');

    // Another tenant's calls to the same connector go on.
    const otherCase = await rig.services.engine.start({
      tenantId: 'other',
      procedureKey: 'postbox-breaker',
      version: 1,
      data: {},
      actor: { kind: 'citizen' },
    });
    await rig.runJobs();
    expect((await rig.services.queries.case('other', otherCase.id))?.state).toBe('delivered');
    expect(sent).toBe(THRESHOLD + 1);

    // After the cool-down one probe goes through; it fails, so the breaker opens again and the others wait.
    await sleep(COOL_DOWN_MS + 200);
    postbox.failNext(1, '500');
    rig.clock.advance(120_000);
    await rig.runJobs();
    expect(sent).toBe(THRESHOLD + 2);
    expect(await circuit()).toBe('open');

    // The next probe succeeds: the breaker closes and every waiting job is delivered, once.
    await sleep(COOL_DOWN_MS + 200);
    rig.clock.advance(120_000);
    await rig.runJobs();
    expect(await circuit()).toBe('closed');
    for (const id of [...first, ...later]) {
      const [job] = await rig.jobsOf(id);
      expect(job!.status).toBe('done');
      expect(postbox.deliveries(job!.idempotencyKey)).toBe(1);
    }
    expect(sent).toBe(THRESHOLD + 2 + first.length + later.length);
  }, 30_000);
});
