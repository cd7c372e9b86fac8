import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/index.ts';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, type Reply, startHarness } from '../support/harness.ts';

const fixtures = join(import.meta.dirname, '../../engine/bpmn/fixtures');

/** A small procedure whose only service step has no `failed` path: a failure there becomes an incident. */
const incidentProcedure = {
  schemaVersion: 1,
  key: 'meldung-test',
  title: 'Meldung an das Fachverfahren',
  caseNumberPrefix: 'MLD',
  form: { type: 'object', properties: { text: { type: 'string', title: 'Text', minLength: 1 } }, required: ['text'] },
  initial: 'senden',
  states: {
    senden: {
      kind: 'service',
      status: 'Eingegangen',
      connector: 'fachverfahren-http@1',
      operation: 'send',
      input: { messageType: '"meldung"', payload: '{text: text}' },
      result: { reference: 'result.reference' },
      retry: { maxAttempts: 2, initialDelay: 'PT1S', maxDelay: 'PT1S', factor: 1 },
      transitions: [{ on: 'done', target: 'warten' }],
    },
    warten: {
      kind: 'wait',
      status: 'In Bearbeitung',
      transitions: [{ on: 'unterlagen.eingegangen', target: 'fertig' }],
    },
    fertig: { kind: 'final', outcome: 'erledigt', status: 'Abgeschlossen' },
  },
};

function expectProblem(res: Reply, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
}

describe.each(dialectsUnderTest())('HTTP contract on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;
  let owner: string;
  let worker: string;
  let admin: string;

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
    [owner, worker, admin] = await Promise.all([h.login('prozess'), h.login('sachbearbeitung'), h.login('admin')]);
  });
  afterAll(async () => {
    await h.close();
    await drop();
  });

  const counts = async () => ({
    cases: (await h.call('GET', '/api/cases?limit=200', { token: worker })).body.length,
    drafts: (await h.call('GET', '/api/procedure-drafts', { token: owner })).body.length,
  });

  it('answers bad input with 4xx problem+json naming the field, stores nothing and stays healthy', async () => {
    const before = await counts();
    const raw = (body: string, type: string) =>
      h.app.request('/api/applications', { method: 'POST', headers: { 'content-type': type }, body });
    const parse = async (res: Response): Promise<Reply> => ({
      status: res.status,
      headers: res.headers,
      body: await res.json(),
    });

    expectProblem(await parse(await raw('{"procedure": "maengelmelder", "data": {', 'application/json')), 400);
    expectProblem(await parse(await raw('procedure=maengelmelder', 'application/x-www-form-urlencoded')), 415);
    expectProblem(
      await parse(await raw(JSON.stringify({ procedure: 'x'.repeat(13 * 1024 * 1024), data: {} }), 'application/json')),
      413,
    );

    const unknown = await h.call('POST', '/api/applications', { body: { procedure: 'gibt-es-nicht', data: {} } });
    expectProblem(unknown, 404);
    expect(unknown.body.errors).toEqual([{ path: 'procedure', message: expect.any(String) }]);

    const shape = await h.call('POST', '/api/applications', {
      body: { procedure: 'maengelmelder', data: 'kein Objekt' },
    });
    expectProblem(shape, 422);
    expect(shape.body.errors[0].path).toBe('data');

    const invalid = await h.call('POST', '/api/applications', {
      body: { procedure: 'maengelmelder', data: { kategorie: 'Erdbeben' } },
    });
    expectProblem(invalid, 422);
    expect(invalid.body.errors.length).toBeGreaterThan(1);
    expect(invalid.body.errors.every((e: { path: string }) => e.path.startsWith('data'))).toBe(true);

    const doctype = await h.call('POST', '/api/procedures/import', {
      token: owner,
      body: readFileSync(join(fixtures, 'doctype-billion-laughs.bpmn'), 'utf8'),
      headers: { 'content-type': 'application/xml' },
    });
    expectProblem(doctype, 422);
    expect(JSON.stringify(doctype.body)).toMatch(/DOCTYPE/i);

    const dangling = await h.call('POST', '/api/procedures/import', {
      token: owner,
      body: readFileSync(join(fixtures, 'dangling-references.bpmn'), 'utf8'),
      headers: { 'content-type': 'application/xml' },
    });
    expectProblem(dangling, 422);
    const named = JSON.stringify(dangling.body.errors);
    expect(named).toContain('Task_Geloescht');
    expect(named).toContain('Task_AuchWeg');

    const badDefinition = await h.call('POST', '/api/procedures', {
      token: owner,
      body: { schemaVersion: 1, key: 'X Y' },
    });
    expectProblem(badDefinition, 422);
    expect(badDefinition.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['key', 'title', 'states']),
    );

    expect(await counts()).toEqual(before);
    expect((await h.call('GET', '/healthz')).status).toBe(200);
  });

  it('checks role and tenant on every staff route', async () => {
    expectProblem(await h.call('GET', '/api/tasks'), 401);
    expectProblem(await h.call('GET', '/api/tasks', { token: 'not-a-token' }), 401);
    expectProblem(await h.call('POST', '/api/procedures', { token: worker, body: {} }), 403);
    expectProblem(await h.call('GET', '/api/admin/users', { token: owner }), 403);
    expectProblem(await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'falsch' } }), 401);

    const submitted = await h.call('POST', '/api/applications', {
      body: { procedure: 'maengelmelder', data: (await firstSample('maengelmelder')).data },
    });
    expect(submitted.status).toBe(201);
    await h.services.identity.ensureTenant('nachbarstadt', 'Nachbarstadt', 'BY', new Date());
    await h.services.identity.createUser({
      tenantId: 'nachbarstadt',
      username: 'fremd',
      password: 'geheim123',
      roles: ['caseworker', 'admin'],
      groups: ['Bauhof', 'Ordnungsamt', 'Grünflächenamt'],
      now: new Date(),
    });
    const stranger = await h.login('fremd', 'geheim123');
    expectProblem(await h.call('GET', `/api/cases/${submitted.body.caseId}`, { token: stranger }), 404);
    expect((await h.call('GET', '/api/cases', { token: stranger })).body).toEqual([]);
    expect((await h.call('GET', '/api/tasks?scope=group', { token: stranger })).body).toEqual([]);
    const own = await h.call('GET', '/api/tasks?scope=group', { token: worker });
    const task = own.body.find((t: { caseId: string }) => t.caseId === submitted.body.caseId);
    expectProblem(await h.call('POST', `/api/tasks/${task.id}/claim`, { token: stranger }), 404);
    expectProblem(
      await h.call('GET', `/api/procedures/maengelmelder`, { headers: { 'x-tenant': 'nachbarstadt' } }),
      404,
    );
  });

  it('designs, publishes, runs a procedure through an incident and an admin retry, and rejects events the state does not take', async () => {
    const saved = await h.call('POST', '/api/procedures', { token: owner, body: incidentProcedure });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ key: 'meldung-test', problems: [] });
    const published = await h.call('POST', '/api/procedures/meldung-test/publish', { token: owner });
    expect(published.body).toEqual({ key: 'meldung-test', version: 1 });
    expect((await h.call('GET', '/api/procedures/meldung-test/versions', { token: owner })).body).toHaveLength(1);

    h.doubles.fachverfahren.failNext(2, '500');
    const submitted = await h.call('POST', '/api/applications', {
      body: { procedure: 'meldung-test', data: { text: 'Hallo' } },
    });
    expect(submitted.status).toBe(201);
    await h.settle();
    h.clock.advance(2000);
    await h.settle();
    const incidents = await h.call('GET', '/api/incidents', { token: admin });
    const incident = incidents.body.find((i: { caseId: string }) => i.caseId === submitted.body.caseId);
    expect(incident).toMatchObject({
      connector: 'fachverfahren-http@1',
      attempts: 2,
      error: expect.stringMatching(/server_error/),
    });
    expectProblem(await h.call('POST', `/api/incidents/${incident.id}/retry`, { token: worker }), 403);
    expect((await h.call('POST', `/api/incidents/${incident.id}/retry`, { token: admin })).status).toBe(200);
    await h.settle();
    const detail = await h.call('GET', `/api/cases/${submitted.body.caseId}`, { token: worker });
    expect(detail.body).toMatchObject({ state: 'warten', publicStatus: 'In Bearbeitung' });
    expect(detail.body.variables.reference).toEqual(expect.any(String));
    expect(h.doubles.fachverfahren.deliveries(detail.body.jobs[0].idempotencyKey)).toBe(1);

    // A new version that renames the waiting state does not touch the running case: it stays on version 1.
    const { warten, ...rest } = incidentProcedure.states;
    const renamed = {
      ...incidentProcedure,
      states: {
        ...rest,
        senden: { ...rest.senden, transitions: [{ on: 'done', target: 'pruefung' }] },
        pruefung: warten,
      },
    };
    expect((await h.call('POST', '/api/procedures', { token: owner, body: renamed })).body.problems).toEqual([]);
    expect((await h.call('POST', '/api/procedures/meldung-test/publish', { token: owner })).body.version).toBe(2);
    expect((await h.call('GET', `/api/cases/${submitted.body.caseId}`, { token: worker })).body).toMatchObject({
      version: 1,
      state: 'warten',
    });

    const wrong = await h.call('POST', `/api/cases/${submitted.body.caseId}/messages`, {
      token: worker,
      body: { name: 'zahlung.eingegangen' },
    });
    expectProblem(wrong, 409);
    const right = await h.call('POST', `/api/cases/${submitted.body.caseId}/messages`, {
      token: worker,
      body: { name: 'unterlagen.eingegangen', data: { eingang: '2026-03-02' } },
    });
    expect(right.body).toMatchObject({ state: 'fertig', status: 'done' });

    const republish = await h.call('POST', '/api/procedures', {
      token: owner,
      body: { ...incidentProcedure, title: 'Meldung (geändert)' },
    });
    expect(republish.status).toBe(200);
    expect((await h.call('POST', '/api/procedures/meldung-test/publish', { token: owner })).body.version).toBe(3);
    const v1 = await h.call('GET', '/api/procedures/meldung-test/export?version=1', { token: owner });
    expect(v1.body.title).toBe('Meldung an das Fachverfahren');
  });

  it('refuses to publish a definition with problems and lists every one', async () => {
    const broken = {
      ...incidentProcedure,
      key: 'kaputt',
      states: {
        ...incidentProcedure.states,
        senden: { ...incidentProcedure.states.senden, connector: 'fax@1' },
        pruefen: {
          kind: 'task',
          title: 'Prüfen',
          group: 'Unbekannt',
          transitions: [{ on: 'done', target: 'fertig', guard: 'betrag >' }],
        },
      },
    };
    expect(
      (await h.call('POST', '/api/procedures', { token: owner, body: broken })).body.problems.length,
    ).toBeGreaterThanOrEqual(4);
    const refused = await h.call('POST', '/api/procedures/kaputt/publish', { token: owner });
    expectProblem(refused, 422);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining([
        'states.senden.connector',
        'states.pruefen',
        'states.pruefen.group',
        'states.pruefen.transitions.0.guard',
      ]),
    );
    expect((await h.call('GET', '/api/procedures/kaputt/versions', { token: owner })).body).toEqual([]);
  });

  it('imports a Camunda 7 model with warnings and exports BPMN and JSON', async () => {
    const imported = await h.call('POST', '/api/procedures/import', {
      token: owner,
      body: readFileSync(join(fixtures, 'camunda7-sondernutzung.bpmn'), 'utf8'),
      headers: { 'content-type': 'application/xml' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.key).toMatch(/^[a-z]/);
    expect(Array.isArray(imported.body.warnings)).toBe(true);
    const bpmn = await h.call('GET', `/api/procedures/${imported.body.key}/export?format=bpmn`, { token: owner });
    expect(bpmn.status).toBe(200);
    expect(bpmn.headers.get('content-type')).toMatch(/application\/xml/);
    expect(String(bpmn.body)).toContain('bpmndi:BPMNDiagram');
    const json = await h.call('GET', '/api/procedures/geburtsurkunde/export?format=json', { token: owner });
    expect(json.body.key).toBe('geburtsurkunde');
  });

  it('serves OpenAPI 3.1 with the contract and readable docs from local assets', async () => {
    const doc = await h.call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/auth/login',
      '/api/procedures',
      '/api/procedures/import',
      '/api/procedures/{key}/publish',
      '/api/procedures/{key}/export',
      '/api/procedures/{key}/versions',
      '/api/procedures/{key}',
      '/api/applications',
      '/api/status/{trackingCode}',
      '/api/tasks',
      '/api/tasks/{id}',
      '/api/tasks/{id}/claim',
      '/api/tasks/{id}/unclaim',
      '/api/tasks/{id}/complete',
      '/api/admin/users',
      '/api/cases',
      '/api/cases/{id}',
      '/api/incidents',
      '/api/incidents/{id}/retry',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const docs = await h.call('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).not.toMatch(/https?:\/\//);
    expect((await h.app.request('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('creates users as admin and lets them sign in with their groups', async () => {
    const created = await h.call('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'neu', password: 'sicher-genug', roles: ['caseworker'], groups: ['Steueramt', 'Neue Gruppe'] },
    });
    expect(created.status).toBe(201);
    expectProblem(
      await h.call('POST', '/api/admin/users', {
        token: admin,
        body: { username: 'neu', password: 'sicher-genug', roles: ['caseworker'] },
      }),
      409,
    );
    const weak = await h.call('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'x', password: 'kurz', roles: ['chef'] },
    });
    expectProblem(weak, 422);
    expect(weak.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['username', 'password', 'roles.0']),
    );
    const login = await h.call('POST', '/api/auth/login', { body: { username: 'neu', password: 'sicher-genug' } });
    expect(login.body.user).toEqual({
      username: 'neu',
      roles: ['caseworker'],
      groups: ['Steueramt', 'Neue Gruppe'],
      tenant: 'demo',
    });
    const users = await h.call('GET', '/api/admin/users', { token: admin });
    expect(JSON.stringify(users.body)).not.toMatch(/argon2|passwordHash/);
  });
});

async function firstSample(key: string) {
  const workflow = (await loadWorkflows()).find((w) => w.key === key);
  const sample = workflow?.samples[0];
  if (!sample) throw new Error(`no sample for ${key}`);
  return sample;
}
