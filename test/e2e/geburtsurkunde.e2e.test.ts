import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows, type Sample } from '../../workflows/index.ts';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, startHarness } from '../support/harness.ts';

describe.each(dialectsUnderTest())('Geburtsurkunde anfordern over HTTP on $name', (dialect) => {
  let h: Harness;
  let samples: Sample[];
  let drop: () => Promise<void>;
  const sample = (title: RegExp) => {
    const found = samples.find((s) => title.test(s.title));
    if (!found) throw new Error(`no sample ${title}`);
    return found;
  };

  beforeAll(async () => {
    samples = (await loadWorkflows()).find((w) => w.key === 'geburtsurkunde')!.samples;
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({
      databaseUrl: db.databaseUrl,
      doubles: {
        fachverfahrenSeed: {
          standesamt: [
            {
              familyName: 'Schmidt',
              birthName: 'Schmidt',
              givenNames: 'Anna Lena',
              dateOfBirth: '1990-05-14',
              placeOfBirth: 'Musterstadt',
              registerNumber: 'G 812/1990',
            },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await drop();
  });

  it('runs the happy path: record found, paid online, reviewed, delivered to the postbox', async () => {
    const happy = sample(/Postfach/);
    const submitted = await h.call('POST', '/api/applications', {
      body: { procedure: 'geburtsurkunde', data: happy.data },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      caseNumber: expect.stringMatching(/^GEB-\d{4}-\d{6}$/),
      status: 'Eingegangen',
    });
    expect(submitted.body.trackingCode).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    const { caseId, trackingCode } = submitted.body;

    await h.settle();
    const worker = await h.login('sachbearbeitung');
    let detail = await h.call('GET', `/api/cases/${caseId}`, { token: worker });
    expect(detail.body.state).toBe('awaitPayment');
    expect(detail.body.publicStatus).toBe('Zahlung ausstehend');
    const paymentId = detail.body.variables.paymentId as string;
    expect(h.doubles.payment.payment(paymentId)).toMatchObject({ amountCents: 2400, status: 'open' });
    expect(h.doubles.postbox.messages.map((m) => m.recipient)).toContain(trackingCode);

    // The citizen pays on the provider's page; the provider's signed notification moves the case on.
    await h.doubles.payment.pay(paymentId);
    expect(h.doubles.payment.notifications.at(-1)?.status).toBe(200);
    detail = await h.call('GET', `/api/cases/${caseId}`, { token: worker });
    expect(detail.body.state).toBe('review');

    const inbox = await h.call('GET', '/api/tasks?scope=group&state=open', { token: worker });
    const task = inbox.body.find((t: { caseId: string }) => t.caseId === caseId);
    expect(task).toMatchObject({
      title: expect.any(String),
      group: 'Standesamt',
      assignee: null,
      caseNumber: submitted.body.caseNumber,
    });
    expect((await h.call('POST', `/api/tasks/${task.id}/claim`, { token: worker })).status).toBe(200);
    const reviewStep = happy.path.find((p) => p.expect === 'review')!;
    const send = reviewStep.send as { data: Record<string, unknown> };
    const completed = await h.call('POST', `/api/tasks/${task.id}/complete`, {
      token: worker,
      body: { outcome: 'issue', data: send.data },
    });
    expect(completed.status).toBe(200);

    await h.settle();
    detail = await h.call('GET', `/api/cases/${caseId}`, { token: worker });
    expect(detail.body).toMatchObject({ state: 'closed', status: 'done', publicStatus: 'Abgeschlossen' });
    expect(detail.body.jobs.every((j: { status: string }) => j.status === 'done')).toBe(true);
    const delivered = h.doubles.postbox.messages.filter((m) => m.recipient === trackingCode);
    expect(delivered.at(-1)?.attachments?.[0]).toMatchObject({ contentType: 'application/pdf' });

    const status = await h.call('GET', `/api/status/${trackingCode}`);
    expect(status.status).toBe(200);
    expect(status.body.status).toBe('Abgeschlossen');
    expect(status.body.history.map((x: { status: string }) => x.status)).toEqual(happy.statusLabels);
    expect(JSON.stringify(status.body)).not.toContain('Schmidt');
  });

  it('names every invalid field with 422 and stores nothing', async () => {
    const worker = await h.login('sachbearbeitung');
    const before = await h.call('GET', '/api/cases?procedure=geburtsurkunde&limit=200', { token: worker });
    const res = await h.call('POST', '/api/applications', {
      body: {
        procedure: 'geburtsurkunde',
        data: { person: { familyName: '', dateOfBirth: '14.05.1990' }, request: { copies: 11 } },
      },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.person.familyName',
        'data.person.dateOfBirth',
        'data.person.givenNames',
        'data.applicant',
        'data.request.copies',
      ]),
    );
    const after = await h.call('GET', '/api/cases?procedure=geburtsurkunde&limit=200', { token: worker });
    expect(after.body.length).toBe(before.body.length);
  });

  it('cancels the case when the payment does not arrive within 7 days', async () => {
    const happy = sample(/Postfach/);
    const submitted = await h.call('POST', '/api/applications', {
      body: { procedure: 'geburtsurkunde', data: happy.data },
    });
    await h.settle();
    h.clock.advance(7 * 24 * 3600_000 + 1000);
    await h.settle();
    const status = await h.call('GET', `/api/status/${submitted.body.trackingCode}`);
    expect(status.body.done).toBe(true);
    expect(status.body.history.map((x: { status: string }) => x.status)).toEqual([
      'Eingegangen',
      'Zahlung ausstehend',
      status.body.status,
    ]);
  });
});
