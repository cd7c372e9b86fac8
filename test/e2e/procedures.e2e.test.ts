import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../engine/compiler/compile.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { ProcedureRuntime } from '../../engine/runtime/runtime.ts';
import { loadWorkflows, type Sample, type Workflow } from '../../workflows/index.ts';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, startHarness } from '../support/harness.ts';

const workflows = await loadWorkflows();

/**
 * Samples the real system can reproduce over HTTP: every connector step is answered by a real connector
 * against the HTTP doubles (so no sample that needs a connector to fail), tasks are claimed and completed
 * through the API, payments are paid on the provider double, timers fire by moving the clock.
 */
const drivable = workflows.flatMap((w) =>
  w.samples
    .filter((s) => s.path.every((p) => p.send?.type !== 'job:failed'))
    .map((sample) => ({ workflow: w, sample })),
);

/**
 * Signs in procedures that require login (Meldebescheinigung). Citizen accounts (BundID / eID) do not exist yet: a
 * local user with the role `citizen` stands in, as `npm run cli -- user add … --roles citizen` would create it.
 */
const CITIZEN = 'buerger';

/**
 * Register records the Fachverfahren counterpart must know so that look-ups find what the samples expect: as many
 * copies as the sample's result counts matches (two namesakes → a caseworker decides), and an empty register where
 * a sample expects no match.
 */
function lookupSeeds(list: typeof drivable) {
  const seed: Record<string, Record<string, string | number>[]> = {};
  const env = { now: new Date('2026-03-02T09:00:00Z'), calendar: { land: 'NW' as const }, caseId: 'c1' };
  for (const { workflow, sample } of list) {
    const runtime = new ProcedureRuntime(definitionSchema.parse(workflow.definition));
    let step = runtime.start(sample.data, env, {
      caseId: 'c1',
      caseNumber: 'X-2026-000001',
      trackingCode: 'ABCDEFGHJKLM',
    });
    for (const p of sample.path) {
      const job = step.effects.find((e) => e.type === 'job.enqueue');
      const event = p.send as CaseEvent | null;
      if (job?.type === 'job.enqueue' && job.operation === 'lookup' && event?.type === 'job:done') {
        const result = event.result as { matches: number; record: Record<string, string | number> | null };
        const register = String(job.input.register);
        const query = job.input.query as Record<string, string | number>;
        const copies = Array.from({ length: result.matches }, () => ({ ...result.record, ...query }));
        seed[register] = [...(seed[register] ?? []), ...copies];
      }
      if (!event) break;
      step = runtime.send(step.snapshot, event, env);
    }
  }
  return seed;
}

describe.each(dialectsUnderTest())('procedures end to end over HTTP on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl, doubles: { fachverfahrenSeed: lookupSeeds(drivable) } });
    await h.services.identity.createUser({
      tenantId: 'demo',
      username: CITIZEN,
      password: 'demo',
      roles: ['citizen'],
      groups: [],
      now: h.clock.now(),
    });
  });
  afterAll(async () => {
    await h.close();
    await drop();
  });

  it('has drivable samples of all five procedures', () => {
    expect(new Set(drivable.map((d) => d.workflow.key))).toEqual(
      new Set(['geburtsurkunde', 'maengelmelder', 'hundeanmeldung', 'sperrmuell', 'meldebescheinigung']),
    );
  });

  it('takes applications for a procedure that requires login only from a signed-in citizen', async () => {
    const sample = drivable.find((d) => d.workflow.key === 'meldebescheinigung')?.sample;
    const body = { procedure: 'meldebescheinigung', data: sample?.data };
    expect((await h.call('POST', '/api/applications', { body })).status).toBe(401);
    const caseworker = await h.login('sachbearbeitung');
    expect((await h.call('POST', '/api/applications', { body, token: caseworker })).status).toBe(403);
  });

  it.each(drivable.map((d) => ({ ...d, name: `${d.workflow.key}: ${d.sample.title}` })))(
    '$name',
    async ({ workflow, sample }) => {
      await drive(h, workflow, sample);
    },
  );
});

/** Where the samples' dates (preferred pickup weeks, deadlines) lie; each sample starts its case then. */
const SAMPLE_START = new Date('2026-03-02T09:00:00Z');

async function drive(h: Harness, workflow: Workflow, sample: Sample) {
  h.clock.set(SAMPLE_START);
  const requiresLogin = definitionSchema.parse(workflow.definition).requiresLogin;
  const token = requiresLogin ? await h.login(CITIZEN) : undefined;
  const body = { procedure: workflow.key, data: sample.data };
  const submitted = await h.call('POST', '/api/applications', { body, token });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const { caseId, trackingCode } = submitted.body;
  // Sessions expire after 12 hours of (test) clock time; samples move the clock by weeks.
  const caseDetail = async () =>
    (await h.call('GET', `/api/cases/${caseId}`, { token: await h.login('sachbearbeitung') })).body;

  for (const step of sample.path) {
    const event = step.send as CaseEvent | null;
    if (event?.type === 'job:done') continue; // the real connector answers it while the runners settle
    await h.settle();
    const detail = await caseDetail();
    expect(detail.state, `${sample.title}: expected ${step.expect}`).toBe(step.expect);
    if (!event) break;
    const worker = await h.login('sachbearbeitung');
    if (event.type.startsWith('task:')) {
      const task = detail.tasks.find(
        (t: { state: string; status: string }) => t.state === step.expect && t.status === 'open',
      );
      expect(task, `open task in ${step.expect}`).toBeDefined();
      expect((await h.call('POST', `/api/tasks/${task.id}/claim`, { token: worker })).status).toBe(200);
      const data = 'data' in event ? (event.data ?? {}) : {};
      const done = await h.call('POST', `/api/tasks/${task.id}/complete`, {
        token: worker,
        body: { outcome: event.type.slice(5), data },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    } else if (event.type === 'timeout') {
      h.clock.advance(60 * 24 * 3600_000);
    } else if (event.type.startsWith('message:payment.')) {
      const paymentId = detail.variables.paymentId as string;
      const outcome = event.type.slice('message:payment.'.length);
      if (outcome === 'paid') await h.doubles.payment.pay(paymentId);
      else if (outcome === 'cancelled') await h.doubles.payment.cancel(paymentId);
      else await h.doubles.payment.fail(paymentId);
      expect(h.doubles.payment.notifications.at(-1)?.status).toBe(200);
    } else {
      const name = event.type.slice('message:'.length);
      const data = 'data' in event ? (event.data ?? {}) : {};
      expect(
        (await h.call('POST', `/api/cases/${caseId}/messages`, { token: worker, body: { name, data } })).status,
      ).toBe(200);
    }
  }
  await h.settle();
  const final = await caseDetail();
  expect(final).toMatchObject({ state: sample.final, status: 'done' });
  expect(final.jobs.filter((j: { status: string }) => j.status !== 'done')).toEqual([]);
  const status = await h.call('GET', `/api/status/${trackingCode}`);
  expect(status.body.history.map((x: { status: string }) => x.status)).toEqual(sample.statusLabels);
  expect(status.body.done).toBe(true);
  const xmlSent = h.doubles.fachverfahren.received.filter(
    (message) => message.idempotencyKey.startsWith(`${caseId}:`) && message.format === 'xml',
  );
  if (workflow.key === 'hundeanmeldung') {
    expect(xmlSent.map((message) => message.messageType)).toEqual(['hundesteuer.anmeldung']);
    expect(xmlSent[0]?.payload).toMatchObject({ nachrichtenkopf: { aktenzeichen: submitted.body.caseNumber } });
  } else expect(xmlSent).toEqual([]);
}
