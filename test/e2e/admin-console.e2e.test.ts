import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, type Reply, startHarness } from '../support/harness.ts';
import { incidentProcedure } from '../support/incident-procedure.ts';

function expectProblem(res: Reply, status: number, paths?: string[]) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (paths) expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(paths);
}

describe.each(dialectsUnderTest())('admin console API on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;
  let admin: string;
  let worker: string;

  /** Submits an application whose Fachverfahren call fails for good: an incident. */
  async function incidentCase(text: string) {
    h.doubles.fachverfahren.failNext(1, '500');
    const submitted = await h.call('POST', '/api/applications', {
      body: { procedure: 'stoerung-test', data: { text } },
    });
    expect(submitted.status).toBe(201);
    await h.settle();
    const incidents = await h.call('GET', '/api/incidents', { token: admin });
    const incident = incidents.body.find((i: { caseId: string }) => i.caseId === submitted.body.caseId);
    expect(incident).toMatchObject({ attempts: 1, error: expect.stringMatching(/server_error/) });
    return {
      caseId: submitted.body.caseId as string,
      caseNumber: submitted.body.caseNumber as string,
      id: incident.id,
    };
  }

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
    [admin, worker] = await Promise.all([h.login('admin'), h.login('sachbearbeitung')]);
    const owner = await h.login('prozess');
    expect((await h.call('POST', '/api/procedures', { token: owner, body: incidentProcedure })).status).toBe(200);
    expect((await h.call('POST', '/api/procedures/stoerung-test/publish', { token: owner })).status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await drop();
  });

  it('lets only admins in: caseworkers get 403, signed-out callers 401', async () => {
    for (const [method, path] of [
      ['GET', '/api/admin/tenants'],
      ['GET', '/api/admin/groups'],
      ['GET', '/api/admin/cases'],
      ['POST', '/api/admin/connectors/payment@1/health'],
      ['POST', '/api/admin/incidents/retry'],
    ] as const) {
      const body = method === 'POST' ? { ids: ['x'] } : undefined;
      expectProblem(await h.call(method, path, { token: worker, body }), 403);
      expectProblem(await h.call(method, path, { body }), 401);
    }
  });

  it('creates tenants only as the operator, with their first admin, who manages only their own tenant', async () => {
    expect((await h.call('GET', '/api/admin/tenants', { token: admin })).body).toEqual([
      expect.objectContaining({ id: 'demo', name: 'Musterstadt', land: 'NW' }),
    ]);
    const bad = await h.call('POST', '/api/admin/tenants', {
      token: admin,
      body: { id: 'X', name: '', land: 'XX', admin: { username: 'a', password: 'kurz' } },
    });
    expectProblem(bad, 422, ['id', 'name', 'land', 'admin.username', 'admin.password']);
    const body = {
      id: 'nachbarstadt',
      name: 'Nachbarstadt',
      land: 'BY',
      admin: { username: 'nb-admin', password: 'geheim-123' },
    };
    const created = await h.call('POST', '/api/admin/tenants', { token: admin, body });
    expect(created.status).toBe(201);
    expectProblem(await h.call('POST', '/api/admin/tenants', { token: admin, body }), 409, ['id']);
    expectProblem(
      await h.call('POST', '/api/admin/tenants', {
        token: admin,
        body: { ...body, id: 'drittstadt', admin: { ...body.admin, username: 'admin' } },
      }),
      409,
      ['admin.username'],
    );
    expect((await h.call('GET', '/api/admin/tenants', { token: admin })).body.map((t: { id: string }) => t.id)).toEqual(
      ['demo', 'nachbarstadt'],
    );

    const other = await h.login('nb-admin', 'geheim-123');
    expect((await h.call('GET', '/api/admin/tenants', { token: other })).body.map((t: { id: string }) => t.id)).toEqual(
      ['nachbarstadt'],
    );
    expectProblem(
      await h.call('POST', '/api/admin/tenants', { token: other, body: { ...body, id: 'viertstadt' } }),
      403,
    );
    expect(
      (await h.call('GET', '/api/admin/users', { token: other })).body.map((u: { username: string }) => u.username),
    ).toEqual(['nb-admin']);
    const demoUsers = (await h.call('GET', '/api/admin/users', { token: admin })).body;
    const demoWorker = demoUsers.find((u: { username: string }) => u.username === 'sachbearbeitung');
    expectProblem(await h.call('POST', `/api/admin/users/${demoWorker.id}/disable`, { token: other }), 404);
    expect((await h.call('GET', '/api/admin/incidents/x', { token: other })).status).toBe(404);
  });

  it('keeps the accessibility contact per tenant: only its own admins change it, the portal shows it', async () => {
    const demo = '/api/admin/tenants/demo/contact';
    const seeded = await h.call('GET', '/api/portal/tenant');
    expect(seeded.body).toMatchObject({
      name: 'Musterstadt',
      contact: { email: 'barrierefreiheit@musterstadt.example', reviewedOn: expect.any(String) },
    });
    expect((await h.call('GET', demo, { token: admin })).body.contact).toEqual(seeded.body.contact);
    const contact = {
      email: 'feedback@musterstadt.example',
      phone: '+49 2131 9876-55',
      address: ['Stadt Musterstadt', 'Bürgerbüro', 'Markt 3', '41460 Musterstadt'],
      reviewedOn: '2026-11-20',
    };
    expectProblem(await h.call('GET', demo, { token: worker }), 403);
    expectProblem(await h.call('PUT', demo, { token: worker, body: contact }), 403);
    expectProblem(await h.call('PUT', demo, { body: contact }), 401);
    expectProblem(
      await h.call('PUT', demo, {
        token: admin,
        body: { email: 'kein-at', phone: 'abc', address: ['Nur eine Zeile'], reviewedOn: '20.11.2026' },
      }),
      422,
      ['email', 'phone', 'address', 'reviewedOn'],
    );
    expectProblem(await h.call('PUT', demo, { token: admin, body: { ...contact, address: ['Markt 3', ' '] } }), 422, [
      'address.1',
    ]);
    expect((await h.call('PUT', demo, { token: admin, body: contact })).body).toEqual({ contact });
    expect((await h.call('GET', '/api/portal/tenant')).body.contact).toEqual(contact);

    // Another tenant's admin neither reads nor changes Musterstadt's contact; their own starts empty.
    const body = {
      id: 'randstadt',
      name: 'Randstadt',
      land: 'HE',
      admin: { username: 'rs-admin', password: 'geheim-456' },
    };
    expect((await h.call('POST', '/api/admin/tenants', { token: admin, body })).status).toBe(201);
    const other = await h.login('rs-admin', 'geheim-456');
    expectProblem(await h.call('PUT', demo, { token: other, body: { ...contact, email: 'x@randstadt.example' } }), 403);
    expectProblem(await h.call('GET', demo, { token: other }), 403);
    expect((await h.call('GET', '/api/admin/tenants/randstadt/contact', { token: other })).body).toEqual({
      contact: null,
    });
    const portalOf = async (tenant: string) =>
      (await h.call('GET', '/api/portal/tenant', { headers: { 'x-tenant': tenant } })).body;
    expect(await portalOf('randstadt')).toMatchObject({ name: 'Randstadt', land: 'HE', contact: null });
    // Not even the operator's admins speak for another administration.
    expectProblem(await h.call('PUT', '/api/admin/tenants/randstadt/contact', { token: admin, body: contact }), 403);
    const own = { ...contact, email: 'barrierefreiheit@randstadt.example', address: ['Randstadt', '64283 Randstadt'] };
    expect((await h.call('PUT', '/api/admin/tenants/randstadt/contact', { token: other, body: own })).status).toBe(200);
    expect((await portalOf('randstadt')).contact).toEqual(own);
    expect((await portalOf('demo')).contact).toEqual(contact);
  });

  it('creates groups, sets roles and groups, and refuses unknown groups and taking away the own admin role', async () => {
    expectProblem(await h.call('POST', '/api/admin/groups', { token: admin, body: { name: ' ' } }), 422, ['name']);
    expect((await h.call('POST', '/api/admin/groups', { token: admin, body: { name: 'Bauaufsicht' } })).status).toBe(
      201,
    );
    expectProblem(await h.call('POST', '/api/admin/groups', { token: admin, body: { name: 'Bauaufsicht' } }), 409, [
      'name',
    ]);
    const created = await h.call('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'neu', password: 'passwort-1', roles: ['caseworker'], groups: [] },
    });
    const id = created.body.id as string;
    expectProblem(
      await h.call('PUT', `/api/admin/users/${id}/access`, {
        token: admin,
        body: { roles: ['caseworker'], groups: ['Bauaufsicht', 'Gibtsnicht'] },
      }),
      422,
      ['groups.1'],
    );
    expectProblem(
      await h.call('PUT', `/api/admin/users/${id}/access`, { token: admin, body: { roles: [], groups: [] } }),
      422,
      ['roles'],
    );
    const changed = await h.call('PUT', `/api/admin/users/${id}/access`, {
      token: admin,
      body: { roles: ['caseworker', 'process-owner'], groups: ['Bauaufsicht'] },
    });
    expect(changed.body).toEqual({ id, roles: ['caseworker', 'process-owner'], groups: ['Bauaufsicht'] });
    const users = (await h.call('GET', '/api/admin/users', { token: admin })).body;
    expect(users.find((u: { id: string }) => u.id === id)).toMatchObject({ groups: ['Bauaufsicht'] });
    const groups = (await h.call('GET', '/api/admin/groups', { token: admin })).body;
    expect(groups.find((g: { name: string }) => g.name === 'Bauaufsicht')).toMatchObject({ members: 1 });
    const me = users.find((u: { username: string }) => u.username === 'admin');
    expectProblem(
      await h.call('PUT', `/api/admin/users/${me.id}/access`, {
        token: admin,
        body: { roles: ['caseworker'], groups: [] },
      }),
      422,
      ['roles'],
    );
    expectProblem(
      await h.call('PUT', `/api/admin/users/unbekannt/access`, {
        token: admin,
        body: { roles: ['admin'], groups: [] },
      }),
      404,
    );
  });

  it('disables a user, which ends their sessions at once, and enables them again', async () => {
    const token = await h.login('neu', 'passwort-1');
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(200);
    const users = (await h.call('GET', '/api/admin/users', { token: admin })).body;
    const neu = users.find((u: { username: string }) => u.username === 'neu');
    const me = users.find((u: { username: string }) => u.username === 'admin');
    expect((await h.call('POST', `/api/admin/users/${neu.id}/disable`, { token: admin })).body).toEqual({
      id: neu.id,
      disabled: true,
    });
    expectProblem(await h.call('GET', '/api/auth/me', { token }), 401);
    expect(
      (await h.call('POST', '/api/auth/login', { body: { username: 'neu', password: 'passwort-1' } })).status,
    ).toBe(401);
    expectProblem(await h.call('POST', `/api/admin/users/${me.id}/disable`, { token: admin }), 409);
    expect((await h.call('POST', `/api/admin/users/${neu.id}/enable`, { token: admin })).status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { token: await h.login('neu', 'passwort-1') })).status).toBe(200);
    expectProblem(await h.call('POST', `/api/admin/users/unbekannt/enable`, { token: admin }), 404);
  });

  it('checks connectors: its own health check, a failing one, and configuration checks without one', async () => {
    const check = (id: string, token = admin) => h.call('POST', `/api/admin/connectors/${id}/health`, { token });
    expect((await check('fachverfahren-http@1')).body).toMatchObject({
      ok: true,
      code: 'ok',
      checkedAt: expect.any(String),
    });
    h.doubles.fachverfahren.failNext(1, '500');
    expect((await check('fachverfahren-http@1')).body).toMatchObject({
      ok: false,
      code: 'failed',
      message: expect.stringContaining('500'),
    });
    expect((await check('document-pdf@1')).body).toMatchObject({ ok: true, code: 'no_check' });
    expectProblem(await check('fax@1'), 404);

    const other = await h.login('nb-admin', 'geheim-123');
    expect((await check('fachverfahren-http@1', other)).body).toMatchObject({ ok: false, code: 'not_configured' });
    const saved = await h.call('PUT', '/api/admin/connectors/fachverfahren-http@1/config', {
      token: other,
      body: { config: { baseUrl: h.doubles.fachverfahren.url }, secrets: {} },
    });
    expect(saved.status).toBe(200);
    expect((await check('fachverfahren-http@1', other)).body).toMatchObject({
      ok: false,
      code: 'missing_secrets',
      message: 'apiKey',
    });
    const stored = await h.call('GET', '/api/admin/connectors/fachverfahren-http@1/config', { token: admin });
    expect(stored.body).toEqual({
      id: 'fachverfahren-http@1',
      configured: true,
      config: { baseUrl: h.doubles.fachverfahren.url },
      secretNames: ['apiKey'],
    });
    expect(JSON.stringify(stored.body)).not.toContain('test-key');
    expect((await h.call('GET', '/api/admin/connectors/email-smtp@1/config', { token: other })).body).toMatchObject({
      configured: false,
      secretNames: [],
    });
    expectProblem(await h.call('GET', '/api/admin/connectors/fax@1/config', { token: admin }), 404);
  });

  it('shows an incident with its input, retries it with a corrected input and records who changed it', async () => {
    const incident = await incidentCase('Erste Meldung');
    const detail = await h.call('GET', `/api/admin/incidents/${incident.id}`, { token: admin });
    expect(detail.body).toMatchObject({
      connector: 'fachverfahren-http@1',
      operation: 'send',
      input: { messageType: 'meldung', payload: { text: 'Erste Meldung' } },
      inputSchema: expect.objectContaining({ type: 'object' }),
    });
    expectProblem(
      await h.call('POST', `/api/admin/incidents/${incident.id}/retry-with-input`, {
        token: admin,
        body: { input: { messageType: '', payload: {} } },
      }),
      422,
      ['input.messageType'],
    );
    const retried = await h.call('POST', `/api/admin/incidents/${incident.id}/retry-with-input`, {
      token: admin,
      body: { input: { messageType: 'meldung', payload: { text: 'Korrigiert' } } },
    });
    expect(retried.body).toEqual({ id: incident.id, status: 'pending' });
    await h.settle();
    const after = await h.call('GET', `/api/cases/${incident.caseId}`, { token: admin });
    expect(after.body.state).toBe('warten');
    expect(after.body.history).toContainEqual(
      expect.objectContaining({
        kind: 'incident-input',
        actor: 'admin',
        detail: expect.objectContaining({ jobId: incident.id }),
      }),
    );
    expect(JSON.stringify(after.body.history)).not.toContain('Korrigiert');
    expectProblem(
      await h.call('POST', `/api/admin/incidents/${incident.id}/retry-with-input`, {
        token: admin,
        body: { input: { messageType: 'meldung', payload: {} } },
      }),
      404,
    );
  });

  it('retries several incidents at once and skips what is no incident', async () => {
    const first = await incidentCase('Eins');
    const second = await incidentCase('Zwei');
    const res = await h.call('POST', '/api/admin/incidents/retry', {
      token: admin,
      body: { ids: [first.id, second.id, 'unbekannt'] },
    });
    expect(res.body).toEqual({ retried: [first.id, second.id], skipped: ['unbekannt'] });
    expectProblem(await h.call('POST', '/api/admin/incidents/retry', { token: admin, body: { ids: [] } }), 422, [
      'ids',
    ]);
    await h.settle();
    for (const { caseId } of [first, second]) {
      expect((await h.call('GET', `/api/cases/${caseId}`, { token: admin })).body.state).toBe('warten');
    }
  });

  it('cancels a case through the engine: its incident is gone, it takes no more events, and it is found by number', async () => {
    const incident = await incidentCase('Abbrechen');
    const cancelled = await h.call('POST', `/api/admin/cases/${incident.caseId}/cancel`, { token: admin });
    expect(cancelled.body).toEqual({ id: incident.caseId, status: 'cancelled' });
    const incidents = (await h.call('GET', '/api/incidents', { token: admin })).body;
    expect(incidents.some((i: { id: string }) => i.id === incident.id)).toBe(false);
    expectProblem(await h.call('POST', `/api/admin/cases/${incident.caseId}/cancel`, { token: admin }), 409);
    expectProblem(await h.call('POST', `/api/admin/cases/unbekannt/cancel`, { token: admin }), 404);
    expectProblem(
      await h.call('POST', `/api/cases/${incident.caseId}/messages`, {
        token: admin,
        body: { name: 'unterlagen.eingegangen' },
      }),
      409,
    );
    const detail = (await h.call('GET', `/api/cases/${incident.caseId}`, { token: admin })).body;
    expect(detail.status).toBe('cancelled');
    expect(detail.jobs[0].status).toBe('cancelled');
    expect(detail.history.at(-1)).toMatchObject({ kind: 'cancelled', fromState: 'senden', actor: 'admin' });

    const byNumber = await h.call('GET', `/api/admin/cases?number=${incident.caseNumber.toLowerCase()}`, {
      token: admin,
    });
    expect(byNumber.body).toEqual([expect.objectContaining({ id: incident.caseId, status: 'cancelled' })]);
    const prefix = incident.caseNumber.slice(0, 8);
    const all = (await h.call('GET', `/api/admin/cases?number=${prefix}&procedure=stoerung-test`, { token: admin }))
      .body;
    expect(all.length).toBe(4);
    const active = (await h.call('GET', '/api/admin/cases?procedure=stoerung-test&status=cancelled', { token: admin }))
      .body;
    expect(active.map((c: { id: string }) => c.id)).toEqual([incident.caseId]);
    expect(
      (await h.call('GET', '/api/admin/cases?state=warten&procedure=stoerung-test', { token: admin })).body,
    ).toHaveLength(3);
    expectProblem(await h.call('GET', '/api/admin/cases?status=kaputt', { token: admin }), 400, ['query.status']);
  });
});
