import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/index.ts';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, type Reply, startHarness } from '../support/harness.ts';
import { incidentProcedure } from '../support/incident-procedure.ts';
import { waitingProcedure as waiting } from '../support/waiting-procedure.ts';

function expectProblem(res: Reply, status: number, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
}

describe.each(dialectsUnderTest())('designer test runs in the sandbox on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;
  let owner: string;
  let worker: string;
  let admin: string;
  let neighbour: string;
  let hund: Record<string, unknown>;
  let sampleData: Record<string, unknown>;
  let finished: { id: string; caseNumber: string; trackingCode: string };

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
    [owner, worker, admin] = await Promise.all([h.login('prozess'), h.login('sachbearbeitung'), h.login('admin')]);
    const tenant = await h.call('POST', '/api/admin/tenants', {
      token: admin,
      body: {
        id: 'nachbarstadt',
        name: 'Nachbarstadt',
        land: 'NW',
        admin: { username: 'nachbar', password: 'geheim-genug' },
      },
    });
    expect(tenant.status).toBe(201);
    const neighbourAdmin = await h.login('nachbar', 'geheim-genug');
    const user = await h.call('POST', '/api/admin/users', {
      token: neighbourAdmin,
      body: { username: 'nachbar-prozess', password: 'geheim-genug', roles: ['process-owner'], groups: [] },
    });
    expect(user.status).toBe(201);
    neighbour = await h.login('nachbar-prozess', 'geheim-genug');
    const exported = await h.call('GET', '/api/procedures/hundeanmeldung/export?format=json', { token: owner });
    hund = { ...exported.body, title: 'Hund anmelden (Entwurf)' };
    const workflow = (await loadWorkflows()).find((w) => w.key === 'hundeanmeldung')!;
    sampleData = workflow.samples.find((s) => /Erster Hund/.test(s.title))!.data;
  });
  afterAll(async () => {
    await h?.close();
    await drop?.();
  });

  const start = (definition: unknown, data: unknown, token = owner) =>
    h.call('POST', '/api/designer/test-runs', { token, body: { definition, data } });
  const read = (id: string, token = owner) => h.call('GET', `/api/designer/test-runs/${id}`, { token });
  const complete = (id: string, taskId: string, body: unknown, token = owner) =>
    h.call('POST', `/api/designer/test-runs/${id}/tasks/${taskId}/complete`, { token, body });

  it('runs a Hundeanmeldung draft in the sandbox against the counterparts to its final state', async () => {
    const started = await start(hund, sampleData);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      tenant: 'demo-sandbox',
      procedure: 'hundeanmeldung',
      state: 'transmitFirst',
      status: 'active',
      publicStatus: 'Eingegangen',
    });
    const { id } = started.body;
    await h.settle();
    let run = await read(id);
    expect(run.body.state).toBe('review');
    expect(run.body.variables.taxReference).toEqual(expect.any(String));
    expect(run.body.jobs[0]).toMatchObject({ connector: 'fachverfahren-http@1', status: 'done' });
    const review = run.body.tasks[0];
    expect(review).toMatchObject({ state: 'review', group: 'Steueramt', assignee: null });
    expect(review.outcomes.map((o: { id: string }) => o.id)).toEqual(['approve', 'reject']);
    expect(review.form.properties.reviewNote.title).toBe('Prüfvermerk (intern)');

    expectProblem(await complete(id, review.id, { outcome: 'vielleicht', data: {} }), 422, 'outcome');
    expectProblem(
      await complete(id, review.id, { outcome: 'approve', data: { taxLiableFrom: 'bald' } }),
      422,
      'data.taxLiableFrom',
    );
    expect((await read(id)).body.tasks[0]).toMatchObject({ id: review.id, assignee: null });

    const approved = await complete(id, review.id, { outcome: 'approve', data: { reviewNote: 'Angaben geprüft.' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'renderNotice', tasks: [] });
    expect(approved.body.variables.reviewNote).toBe('Angaben geprüft.');
    await h.settle();
    run = await read(id);
    expect(run.body.state).toBe('sendTaxTag');
    expect(h.doubles.postbox.messages.map((m) => m.recipient)).toContain(run.body.trackingCode);
    const tag = run.body.tasks[0];
    expectProblem(await complete(id, tag.id, { data: { tagNumber: 'M-17' } }), 422, 'data.tagSentOn');
    const closed = await complete(id, tag.id, { data: { tagNumber: 'M-17', tagSentOn: '2026-03-02' } });
    expect(closed.body).toMatchObject({ state: 'closed', status: 'done', outcome: 'registered' });
    expect(closed.body.publicStatus).toBe('Abgeschlossen');
    expect(closed.body.history.map((e: { toState: string | null }) => e.toState)).toEqual(
      expect.arrayContaining(['transmitFirst', 'review', 'renderNotice', 'deliverNotice', 'sendTaxTag', 'closed']),
    );
    expect(closed.body.history.find((e: { toState: string }) => e.toState === 'renderNotice').actor).toBe('prozess');
    expectProblem(await complete(id, tag.id, { data: {} }), 409);
    finished = closed.body;
  });

  it('keeps the test case out of the tenant: inbox, cases, search, incidents, status page, catalogue, tenants', async () => {
    const { id, caseNumber, trackingCode } = finished;
    const ids = (res: Reply) =>
      (res.body.items ?? res.body).map((x: { caseId?: string; id: string }) => x.caseId ?? x.id);
    for (const state of ['open', 'done']) {
      expect(ids(await h.call('GET', `/api/tasks?scope=group&state=${state}`, { token: worker }))).not.toContain(id);
    }
    expect(ids(await h.call('GET', '/api/inbox/tasks?queue=group', { token: worker }))).not.toContain(id);
    expect(ids(await h.call('GET', '/api/cases?procedure=hundeanmeldung', { token: worker }))).not.toContain(id);
    expectProblem(await h.call('GET', `/api/cases/${id}`, { token: owner }), 404);
    expect((await h.call('GET', `/api/admin/cases?number=${caseNumber}`, { token: admin })).body).toEqual([]);
    expect(ids(await h.call('GET', '/api/incidents', { token: admin }))).not.toContain(id);
    expectProblem(await h.call('GET', `/api/status/${trackingCode}`), 404);
    const sandbox = { 'x-tenant': 'demo-sandbox' };
    expectProblem(await h.call('GET', '/api/procedures', { headers: sandbox }), 404);
    expectProblem(await h.call('GET', '/api/portal/tenant', { headers: sandbox }), 404);
    expectProblem(
      await h.call('POST', '/api/applications', {
        headers: sandbox,
        body: { procedure: 'hundeanmeldung', data: sampleData },
      }),
      404,
    );
    const tenants = await h.call('GET', '/api/admin/tenants', { token: admin });
    expect(tenants.body.map((t: { id: string }) => t.id)).toEqual(['demo', 'nachbarstadt']);
    expectProblem(
      await h.call('POST', '/api/admin/tenants', {
        token: admin,
        body: { id: 'demo-sandbox', name: 'X', land: 'NW', admin: { username: 'x-admin', password: 'geheim-genug' } },
      }),
      422,
      'id',
    );
    const sandboxRow = await h.services.identity.tenant('demo-sandbox');
    expect(sandboxRow).toMatchObject({ name: 'Musterstadt – Testumgebung', land: 'NW', sandboxOf: 'demo' });
  });

  it('answers other roles with 403, other tenants and strangers with 404, nobody signed in with 401', async () => {
    const { id } = finished;
    expectProblem(await start(hund, sampleData, worker), 403);
    expectProblem(await read(id, worker), 403);
    expectProblem(await read(id, admin), 403);
    expectProblem(await h.call('GET', `/api/designer/test-runs/${id}`), 401);
    expectProblem(await read(id, neighbour), 404);
    expectProblem(await complete(id, 'x', { data: {} }, neighbour), 404);
    expectProblem(
      await h.call('POST', `/api/designer/test-runs/${id}/events`, { token: neighbour, body: { type: 'timer' } }),
      404,
    );
    expectProblem(await read('unbekannt'), 404);
  });

  it('refuses a sandbox whose id a real tenant already holds, creating nothing', async () => {
    await h.services.identity.ensureTenant('nachbarstadt-sandbox', 'Altbestand', 'BY', h.clock.now());
    const refused = await start(waiting, { name: 'Erika' }, neighbour);
    expectProblem(refused, 409);
    expect(refused.body.detail).toContain('nachbarstadt-sandbox');
    expect(await h.services.identity.tenant('nachbarstadt-sandbox')).toMatchObject({
      name: 'Altbestand',
      sandboxOf: null,
    });
    expect(await h.services.identity.groupNames('nachbarstadt-sandbox')).toEqual([]);
  });

  it('refuses a draft with problems and bad application data, deploying nothing', async () => {
    const before = await h.services.procedures.versions('demo-sandbox', 'hundeanmeldung');
    const broken = {
      ...hund,
      states: { ...(hund.states as object), review: { kind: 'task', title: 'X', group: 'Niemand' } },
    };
    const refused = await start(broken, sampleData);
    expectProblem(refused, 422);
    expect(refused.body.errors.map((e: { path: string }) => e.path).join(' ')).toMatch(/^definition\.states\.review/);
    expectProblem(await start({ key: 'x' }, {}), 422);
    expectProblem(await start(hund, { ...sampleData, dog: { name: 'Bello' } }), 422, 'data.dog.breed');
    expect(await h.services.procedures.versions('demo-sandbox', 'hundeanmeldung')).toHaveLength(before.length);
  });

  it('sends a waiting test run its messages and lets its deadline run out at once', async () => {
    const first = await start(waiting, { name: 'Erika' });
    expect(first.body).toMatchObject({ state: 'awaitDocuments', messages: ['documents.received'] });
    expect(first.body.timer.dueAt).toEqual(expect.any(String));
    const send = (id: string, body: unknown) =>
      h.call('POST', `/api/designer/test-runs/${id}/events`, { token: owner, body });
    expectProblem(await send(first.body.id, { type: 'message', name: 'unbekannt' }), 409);
    const received = await send(first.body.id, { type: 'message', name: 'documents.received', data: { pages: 3 } });
    expect(received.body).toMatchObject({ state: 'complete', outcome: 'complete', timer: null, messages: [] });
    expect(received.body.variables).toMatchObject({ name: 'Erika', pages: 3 });
    expect(received.body.history).toContainEqual(
      expect.objectContaining({ event: 'message:documents.received', actor: 'prozess', toState: 'complete' }),
    );
    expectProblem(await send(first.body.id, { type: 'timer' }), 409);

    const second = await start(waiting, { name: 'Max' });
    const expired = await send(second.body.id, { type: 'timer' });
    expect(expired.body).toMatchObject({ state: 'expired', outcome: 'expired', publicStatus: 'Frist abgelaufen' });
    expectProblem(await send(second.body.id, { type: 'fire' }), 422);
  });

  it('shows an incident of a test run and retries it on request', async () => {
    h.doubles.fachverfahren.failNext(1, '500');
    const started = await start(incidentProcedure, { text: 'Laterne defekt' });
    await h.settle();
    const run = await read(started.body.id);
    const incident = run.body.jobs[0];
    expect(incident).toMatchObject({ connector: 'fachverfahren-http@1', status: 'incident' });
    const retry = (jobId: string, token = owner) =>
      h.call('POST', `/api/designer/test-runs/${started.body.id}/incidents/${jobId}/retry`, { token });
    expectProblem(await retry(incident.id, neighbour), 404);
    expectProblem(await retry(finished.id), 404);
    expect((await retry(incident.id)).status).toBe(200);
    expectProblem(await retry(incident.id), 404);
    await h.settle();
    expect((await read(started.body.id)).body).toMatchObject({ state: 'warten', messages: ['unterlagen.eingegangen'] });
  });
});
