import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FachverfahrenCounterpart,
  startFachverfahrenCounterpart,
} from '../../connectors/fachverfahren-http/fachverfahren.counterpart.ts';
import { fachverfahrenHttpConnector } from '../../connectors/fachverfahren-http/fachverfahren-http.connector.ts';
import type { DefinitionInput } from '../../engine/definition/definition.schema.ts';
import { callsOf, type Rig, startRig, TEST_RETRY, withTimeout } from './rig.ts';

/** `fachverfahren-probe`: hands a dog-tax registration over as XML (no `failed` path: a final error is an incident). */
const probe: DefinitionInput = {
  schemaVersion: 1,
  key: 'fachverfahren-probe',
  title: 'Fachverfahren (Test)',
  caseNumberPrefix: 'FVT',
  form: { type: 'object', properties: {} },
  initial: 'transmit',
  states: {
    transmit: {
      kind: 'service',
      connector: 'fachverfahren-http@1',
      operation: 'send',
      input: {
        messageType: '"hundesteuer.anmeldung"',
        format: '"xml"',
        template: '"hundeanmeldung/hundesteuer-anmeldung"',
        payload: 'registration',
      },
      result: { taxReference: 'result.reference' },
      retry: TEST_RETRY,
      transitions: [{ on: 'done', target: 'sent' }],
    },
    sent: { kind: 'final', outcome: 'sent', status: 'Übermittelt' },
  },
};

const registration = {
  caseNumber: 'HUN-2026-000007',
  owner: { givenNames: 'Petra', familyName: 'Neumann', dateOfBirth: '1975-04-22' },
  address: { street: 'Birkenweg 5', postalCode: '12345', city: 'Musterstadt' },
  dog: {
    name: 'Bello',
    breed: 'Labrador Retriever',
    dateOfBirth: '2025-09-10',
    chipNumber: '276098106543210',
    keptSince: '2026-02-14',
  },
  registeredDogs: 0,
  taxClass: 'first',
  annualTaxCents: 9600,
};

/** The Fachverfahren connector with XML messages through the real job runner against its counterpart over HTTP. */
describe('fachverfahren-http@1 through the job runner', () => {
  let rig: Rig;
  let counterpart: FachverfahrenCounterpart;
  let admin: string;

  beforeAll(async () => {
    // The timeout leaves room for the XSD check on a busy machine; a slow answer takes well beyond it.
    counterpart = await startFachverfahrenCounterpart({ apiKey: 'fv-key', slowMs: 5_000 });
    rig = await startRig({
      connectors: [withTimeout(fachverfahrenHttpConnector, 2_000)],
      breakers: { failureThreshold: 100 },
    });
    await rig.configure('fachverfahren-http@1', { baseUrl: counterpart.url }, { apiKey: 'fv-key' });
    await rig.publish(probe);
    admin = await rig.login('admin');
  });
  afterAll(async () => {
    await rig.close();
    await counterpart.close();
  });

  const start = (payload: unknown = registration) => rig.start('fachverfahren-probe', { registration: payload });
  const keyOf = async (caseId: string) => (await rig.jobsOf(caseId))[0]!.idempotencyKey;

  it('sends the XML message once and keeps the back office’s reference', async () => {
    const { id } = await start();
    await rig.runJobs();
    const after = await rig.caseOf(id);
    expect(after.state).toBe('sent');
    const key = await keyOf(id);
    const message = counterpart.received.find((m) => m.idempotencyKey === key);
    expect(message).toMatchObject({ format: 'xml', reference: after.vars.taxReference });
    expect(message?.payload).toMatchObject({
      halter: { familienname: 'Neumann' },
      nachrichtenkopf: { nachrichtenId: key },
    });
    expect((await callsOf(rig, id)).map((c) => [c.connector, c.operation, c.attempt, c.outcome])).toEqual([
      ['fachverfahren-http@1', 'send', 1, 'succeeded'],
    ]);
  });

  it('retries a 5xx answer, a dropped connection and a timeout, and hands the message over once', async () => {
    const { id } = await start();
    counterpart.failNext(1, '500');
    counterpart.failNext(1, 'reset');
    await rig.runJobs();
    rig.clock.advance(10_000);
    await rig.runJobs();
    rig.clock.advance(20_000);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('sent');
    expect(counterpart.deliveries(await keyOf(id))).toBe(1);
    expect((await callsOf(rig, id)).map((c) => [c.outcome, c.code])).toEqual([
      ['retry', 'server_error'],
      ['retry', 'unavailable'],
      ['succeeded', undefined],
    ]);

    const slow = await start();
    counterpart.failNext(1, 'slow');
    await rig.runJobs();
    expect((await rig.jobsOf(slow.id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringMatching(/^timeout/),
    });
    // The counterpart still carries the slow request out; the retry must not hand the message over a second time.
    while (counterpart.deliveries(await keyOf(slow.id)) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    rig.clock.advance(10_000);
    await rig.runJobs();
    expect((await rig.caseOf(slow.id)).state).toBe('sent');
    expect(counterpart.requests(await keyOf(slow.id))).toBe(2);
    expect(counterpart.deliveries(await keyOf(slow.id))).toBe(1);
  });

  it('makes an incident at once of data the XSD rejects, naming the problem, and sends nothing', async () => {
    const { id } = await start({ ...registration, dog: { ...registration.dog, chipNumber: '2760981' } });
    await rig.runJobs();
    const [job] = await rig.jobsOf(id);
    expect(job).toMatchObject({ status: 'incident', attempts: 1 });
    expect(job?.lastError).toMatch(/^invalid_message/);
    expect(job?.lastError).toContain('hundesteuer-anmeldung.xsd');
    expect(job?.lastError).toContain("Element 'chipnummer'");
    expect(counterpart.requests(await keyOf(id))).toBe(0);
  });

  it('makes an incident of a rejected API key; after the fix an admin retry hands the message over once', async () => {
    await rig.configure('fachverfahren-http@1', { baseUrl: counterpart.url }, { apiKey: 'falsch' });
    const { id } = await start();
    await rig.runJobs();
    const [job] = await rig.jobsOf(id);
    expect(job).toMatchObject({ status: 'incident', attempts: 1, lastError: expect.stringMatching(/^unauthorized/) });
    await rig.configure('fachverfahren-http@1', { baseUrl: counterpart.url }, { apiKey: 'fv-key' });
    expect((await rig.call('POST', `/api/incidents/${job!.id}/retry`, { token: admin })).status).toBe(200);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('sent');
    expect(counterpart.deliveries(await keyOf(id))).toBe(1);
    expect((await callsOf(rig, id)).map((c) => c.outcome)).toEqual(['incident', 'succeeded']);
  });
});
