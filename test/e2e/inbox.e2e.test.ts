import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, type Reply, startHarness } from '../support/harness.ts';

/** One red pixel as PNG, the smallest real photo a citizen could attach. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

function report(street: string, extra: Record<string, unknown> = {}) {
  return {
    procedure: 'maengelmelder',
    data: {
      report: { category: 'streetLighting', description: `Laterne dunkel vor ${street}.` },
      location: { kind: 'address', street },
      ...extra,
    },
  };
}

function expectProblem(res: Reply, status: number, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
}

describe.each(dialectsUnderTest())('caseworker inbox API on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;
  let worker: string;
  let colleague: string;
  let stranger: string;
  const taskOf: Record<string, string> = {};

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
    const admin = await h.login('admin');
    for (const [username, groups] of [
      ['kollegin', ['Bauhof']],
      ['standesamt', ['Standesamt']],
    ] as const) {
      const res = await h.call('POST', '/api/admin/users', {
        token: admin,
        body: { username, password: 'geheim-genug', roles: ['caseworker'], groups },
      });
      expect(res.status).toBe(201);
    }
    [worker, colleague, stranger] = await Promise.all([
      h.login('sachbearbeitung'),
      h.login('kollegin', 'geheim-genug'),
      h.login('standesamt', 'geheim-genug'),
    ]);
    for (const street of ['Amselweg 1', 'Birkenweg 2', 'Zedernweg 3']) {
      const extra =
        street === 'Birkenweg 2'
          ? { contact: { email: 'birke@example.org' }, photos: { images: [`data:image/png;base64,${PNG}`] } }
          : {};
      const res = await h.call('POST', '/api/applications', { body: report(street, extra) });
      expect(res.status).toBe(201);
      await h.settle();
      const detail = await h.call('GET', `/api/cases/${res.body.caseId}`, { token: worker });
      taskOf[street] = detail.body.tasks[0].id;
    }
  });
  afterAll(async () => {
    await h?.close();
    await drop?.();
  });

  const list = (token: string, query: string) => h.call('GET', `/api/inbox/tasks?${query}`, { token });

  it('lists the group queue with applicant, filters by procedure, due date and text, sorts both ways', async () => {
    const group = await list(worker, 'queue=group');
    expect(group.status).toBe(200);
    expect(group.body.total).toBe(3);
    const birke = group.body.items.find((t: { id: string }) => t.id === taskOf['Birkenweg 2']);
    expect(birke).toMatchObject({ procedure: 'maengelmelder', applicant: 'birke@example.org', group: 'Bauhof' });
    expect((await list(worker, 'queue=group&q=BIRKE')).body.items.map((t: { id: string }) => t.id)).toEqual([
      taskOf['Birkenweg 2'],
    ]);
    const number = birke.caseNumber as string;
    expect((await list(worker, `queue=group&q=${number.toLowerCase()}`)).body.total).toBe(1);
    expect((await list(worker, 'queue=group&q=50%25')).body.total).toBe(0);
    expect((await list(worker, 'queue=group&procedure=geburtsurkunde')).body.total).toBe(0);
    expect((await list(worker, 'queue=group&dueBy=2000-01-01')).body.total).toBe(0);
    expect((await list(worker, 'queue=group&dueBy=2999-01-01')).body.total).toBe(3);
    const up = (await list(worker, 'queue=group&sort=due')).body.items.map((t: { id: string }) => t.id);
    const down = (await list(worker, 'queue=group&sort=-due')).body.items.map((t: { id: string }) => t.id);
    expect(down).toEqual([...up].reverse());
    const page2 = await list(worker, 'queue=group&limit=2&offset=2');
    expect(page2.body).toMatchObject({ total: 3, items: [{ id: up[2] }] });
    expectProblem(await list(worker, 'queue=alle'), 400, 'query.queue');
    expectProblem(await list(worker, 'queue=group&dueBy=morgen'), 400, 'query.dueBy');
    expect((await list(stranger, 'queue=group')).body.total).toBe(0);
  });

  it('shows overdue tasks in their own queue once the due date has passed', async () => {
    expect((await list(worker, 'queue=overdue')).body.total).toBe(0);
    h.clock.advance(10 * 86_400_000);
    try {
      const overdue = await list(await h.login('sachbearbeitung'), 'queue=overdue');
      expect(overdue.body.total).toBe(3);
      expect(overdue.body.items.every((t: { overdue: boolean }) => t.overdue)).toBe(true);
    } finally {
      h.clock.advance(-10 * 86_400_000);
    }
  });

  it('bulk-claims, hands over to a colleague of the group only, and answers tasks of other groups with 404', async () => {
    const ids = [taskOf['Amselweg 1'], taskOf['Zedernweg 3']];
    const claimed = await h.call('POST', '/api/inbox/tasks/claim', { token: worker, body: { ids } });
    expect(claimed.body).toEqual(ids.map((id) => ({ id, ok: true })));
    const again = await h.call('POST', '/api/inbox/tasks/claim', { token: colleague, body: { ids: [ids[0], 'x'] } });
    expect(again.body).toEqual([
      { id: ids[0], ok: false, reason: 'taken' },
      { id: 'x', ok: false, reason: 'not_found' },
    ]);
    expect((await list(worker, 'queue=mine')).body.total).toBe(2);

    expectProblem(
      await h.call('POST', `/api/inbox/tasks/${ids[0]}/handover`, { token: worker, body: { to: 'standesamt' } }),
      422,
      'to',
    );
    expectProblem(await h.call('POST', `/api/inbox/tasks/${ids[0]}/handover`, { token: worker, body: {} }), 422, 'to');
    expectProblem(
      await h.call('POST', `/api/inbox/tasks/${ids[0]}/handover`, { token: stranger, body: { to: 'kollegin' } }),
      404,
    );
    expectProblem(
      await h.call('POST', `/api/inbox/tasks/${ids[0]}/handover`, { token: colleague, body: { to: 'kollegin' } }),
      409,
    );
    const handed = await h.call('POST', `/api/inbox/tasks/${ids[0]}/handover`, {
      token: worker,
      body: { to: 'kollegin' },
    });
    expect(handed.body).toEqual({ id: ids[0], assignee: 'kollegin' });
    const bulk = await h.call('POST', '/api/inbox/tasks/handover', {
      token: worker,
      body: { ids: [ids[1], ids[0]], to: 'kollegin' },
    });
    expect(bulk.body).toEqual([
      { id: ids[1], ok: true },
      { id: ids[0], ok: false, reason: 'taken' },
    ]);
    expect((await list(colleague, 'queue=mine')).body.total).toBe(2);
    const colleagues = await h.call('GET', '/api/inbox/colleagues', { token: colleague });
    expect(colleagues.body).toEqual(
      expect.arrayContaining([
        { username: 'kollegin', groups: ['Bauhof'] },
        { username: 'sachbearbeitung', groups: ['Bauhof'] },
      ]),
    );
    expect(colleagues.body.map((u: { username: string }) => u.username)).not.toContain('standesamt');
    expect((await list(worker, 'queue=mine')).body.total).toBe(0);
    expectProblem(await h.call('GET', `/api/inbox/tasks/${ids[0]}`, { token: stranger }), 404);
    expect((await h.call('GET', '/api/inbox/tasks?queue=group', { token: await h.login('prozess') })).status).toBe(403);
  });

  it('hides a task on follow-up from "Meine Aufgaben" until the date, and lists it under follow-ups', async () => {
    const id = taskOf['Birkenweg 2'];
    expectProblem(
      await h.call('PUT', `/api/inbox/tasks/${id}/follow-up`, { token: worker, body: { until: '2030-01-01' } }),
      409,
    );
    await h.call('POST', `/api/tasks/${id}/claim`, { token: worker });
    expectProblem(
      await h.call('PUT', `/api/inbox/tasks/${id}/follow-up`, { token: worker, body: { until: '2001-01-01' } }),
      422,
      'until',
    );
    expectProblem(
      await h.call('PUT', `/api/inbox/tasks/${id}/follow-up`, { token: worker, body: { until: '1.1.2030' } }),
      422,
      'until',
    );
    const until = new Date(h.clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const set = await h.call('PUT', `/api/inbox/tasks/${id}/follow-up`, { token: worker, body: { until } });
    expect(set.status).toBe(200);
    expect((await list(worker, 'queue=mine')).body.total).toBe(0);
    expect((await list(worker, 'queue=followUp')).body.items).toMatchObject([{ id, followUpUntil: set.body.until }]);
    expect((await list(worker, 'queue=group')).body.total).toBe(3);
    h.clock.advance(4 * 86_400_000);
    try {
      const later = await h.login('sachbearbeitung');
      expect((await list(later, 'queue=mine')).body.items).toMatchObject([{ id, followUpUntil: null }]);
    } finally {
      h.clock.advance(-4 * 86_400_000);
    }
    await h.call('DELETE', `/api/inbox/tasks/${id}/follow-up`, { token: worker });
    expect((await list(worker, 'queue=mine')).body.total).toBe(1);
  });

  it('keeps internal notes, serves attachments safely and gives the task context with history and diagram', async () => {
    const id = taskOf['Birkenweg 2'];
    expectProblem(
      await h.call('POST', `/api/inbox/tasks/${id}/notes`, { token: worker, body: { text: '  ' } }),
      422,
      'text',
    );
    const note = await h.call('POST', `/api/inbox/tasks/${id}/notes`, {
      token: worker,
      body: { text: 'Mit Bauhof telefoniert.' },
    });
    expect(note.status).toBe(201);
    const context = await h.call('GET', `/api/inbox/tasks/${id}`, { token: colleague });
    expect(context.status).toBe(200);
    expect(context.body.notes).toMatchObject([{ author: 'sachbearbeitung', text: 'Mit Bauhof telefoniert.' }]);
    expect(context.body.attachments).toEqual([
      { path: 'photos.images.0', label: 'Foto 1', mediaType: 'image/png', bytes: expect.any(Number) },
    ]);
    expect(context.body.members).toEqual(expect.arrayContaining(['sachbearbeitung', 'kollegin']));
    expect(context.body.members).not.toContain('standesamt');
    expect(context.body.caseState).toBe('triageBauhof');
    expect(context.body.history.length).toBeGreaterThan(0);
    expect(context.body.diagram.states).toEqual(
      expect.arrayContaining([{ id: 'triageBauhof', kind: 'task', title: 'Meldung sichten' }]),
    );
    expect(context.body.diagram.transitions).toEqual(
      expect.arrayContaining([{ from: 'triageBauhof', to: 'workBauhof', label: 'Annehmen' }]),
    );

    const view = await h.app.request(`/api/inbox/tasks/${id}/attachments/photos.images.0`, {
      headers: { authorization: `Bearer ${worker}` },
    });
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('image/png');
    expect(view.headers.get('content-disposition')).toMatch(/^inline/);
    expect(view.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await view.arrayBuffer()).equals(Buffer.from(PNG, 'base64'))).toBe(true);
    const download = await h.app.request(`/api/inbox/tasks/${id}/attachments/photos.images.0?download=true`, {
      headers: { authorization: `Bearer ${worker}` },
    });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="photos-images-0.png"/);
    expectProblem(await h.call('GET', `/api/inbox/tasks/${id}/attachments/report.description`, { token: worker }), 404);
    expectProblem(await h.call('GET', `/api/inbox/tasks/${id}/attachments/photos.images.0`, { token: stranger }), 404);
  });
  it('sorts by due date, receipt, case number and procedure, both ways, and pages stably in each order', async () => {
    // A second procedure (prefix ZZZ, key aaa-pruefung, due sooner) whose cases arrive between Mängelmelder reports,
    // so that due date, receipt, case number and procedure each give another order.
    const owner = await h.login('prozess');
    const review = {
      schemaVersion: 1,
      key: 'aaa-pruefung',
      title: 'Prüfung',
      caseNumberPrefix: 'ZZZ',
      form: {
        type: 'object',
        properties: { text: { type: 'string', title: 'Text', minLength: 1 } },
        required: ['text'],
      },
      initial: 'pruefen',
      states: {
        pruefen: {
          kind: 'task',
          title: 'Prüfen',
          group: 'Bauhof',
          due: { workingDays: 1 },
          transitions: [{ on: 'done', target: 'fertig' }],
        },
        fertig: { kind: 'final', outcome: 'erledigt', status: 'Abgeschlossen' },
      },
    };
    expect((await h.call('POST', '/api/procedures', { token: owner, body: review })).status).toBe(200);
    expect((await h.call('POST', '/api/procedures/aaa-pruefung/publish', { token: owner })).status).toBe(200);
    // The second pair arrives two weeks later: its review is due after the first reports, before the last one.
    for (const text of ['eins', 'zwei']) {
      h.clock.advance(text === 'eins' ? 60_000 : 14 * 24 * 3600_000);
      expect(
        (await h.call('POST', '/api/applications', { body: { procedure: 'aaa-pruefung', data: { text } } })).status,
      ).toBe(201);
      h.clock.advance(60_000);
      expect((await h.call('POST', '/api/applications', { body: report(`Ulmenweg ${text}`) })).status).toBe(201);
    }
    await h.settle();
    worker = await h.login('sachbearbeitung'); // the session of two weeks ago has expired

    type Item = { id: string; dueAt: string | null; receivedAt: string; caseNumber: string; procedure: string };
    const all = async (sort: string) => {
      const res = await list(worker, `queue=group&sort=${sort}&limit=50`);
      expect(res.status).toBe(200);
      return res.body.items as Item[];
    };
    const keyOf: Record<string, (t: Item) => string> = {
      due: (t) => t.dueAt ?? '9999',
      received: (t) => t.receivedAt,
      caseNumber: (t) => t.caseNumber,
      procedure: (t) => t.procedure,
    };
    const orders: Record<string, string[]> = {};
    for (const [key, of] of Object.entries(keyOf)) {
      const up = await all(key);
      expect(up).toHaveLength(7);
      const expected = [...up].sort((a, b) => (of(a) < of(b) ? -1 : of(a) > of(b) ? 1 : a.id < b.id ? -1 : 1));
      expect(
        up.map((t) => t.id),
        key,
      ).toEqual(expected.map((t) => t.id));
      const down = await all(`-${key}`);
      expect(
        down.map((t) => t.id),
        `-${key}`,
      ).toEqual(up.map((t) => t.id).reverse());
      // Pages of two in this order add up to the whole list, without gaps or repeats.
      const paged: string[] = [];
      for (let offset = 0; offset < 7; offset += 2) {
        const page = await list(worker, `queue=group&sort=-${key}&limit=2&offset=${offset}`);
        expect(page.body.total).toBe(7);
        paged.push(...page.body.items.map((t: Item) => t.id));
      }
      expect(paged, `pages of -${key}`).toEqual(down.map((t) => t.id));
      orders[key] = up.map((t) => t.id);
    }
    // The keys really order differently here, so each assertion above tells them apart.
    expect(new Set(Object.values(orders).map((o) => o.join())).size).toBe(4);
    expectProblem(await list(worker, 'queue=group&sort=applicant'), 400, 'query.sort');
  });
});
