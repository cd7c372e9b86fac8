import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentConnector } from '../../connectors/payment/payment.connector.ts';
import { type PaymentCounterpart, startPaymentCounterpart } from '../../connectors/payment/payment.counterpart.ts';
import { callsOf, paymentProcedure, type Rig, startRig, withTimeout } from './rig.ts';

/** The payment connector through the real job runner against the provider counterpart over HTTP. */
describe('payment@1 through the job runner', () => {
  let rig: Rig;
  let provider: PaymentCounterpart;
  let admin: string;

  beforeAll(async () => {
    provider = await startPaymentCounterpart({ apiKey: 'pay-key', slowMs: 1500 });
    rig = await startRig({
      connectors: [withTimeout(paymentConnector, 300)],
      breakers: { failureThreshold: 100 },
    });
    await rig.configure('payment@1', { baseUrl: provider.url }, { apiKey: 'pay-key', webhookSecret: 'wh' });
    await rig.publish(paymentProcedure());
    admin = await rig.login('admin');
  });
  afterAll(async () => {
    await rig.close();
    await provider.close();
  });

  const start = () => rig.start('payment-probe', { amountCents: 1200 });
  const keyOf = async (caseId: string) => (await rig.jobsOf(caseId))[0]!.idempotencyKey;

  it('creates the payment once and moves the case on to wait for it', async () => {
    const { id } = await start();
    await rig.runJobs();
    const after = await rig.caseOf(id);
    expect(after.state).toBe('awaitPayment');
    const key = await keyOf(id);
    expect(key).toBe(`${id}:createPayment:1`);
    expect(provider.effects.get(key)).toBe(1);
    expect(provider.payment(after.vars.paymentId as string)).toMatchObject({ requestId: key, amountCents: 1200 });
    const calls = await callsOf(rig, id);
    expect(calls).toEqual([
      {
        jobId: expect.any(String),
        connector: 'payment@1',
        operation: 'create',
        attempt: 1,
        durationMs: expect.any(Number),
        outcome: 'succeeded',
      },
    ]);
  });

  it('retries a 5xx answer with backoff and creates one payment', async () => {
    const { id } = await start();
    provider.failNext(2, '500');
    await rig.runJobs();
    expect((await rig.jobsOf(id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    rig.clock.advance(10_000);
    await rig.runJobs();
    rig.clock.advance(20_000);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('awaitPayment');
    const key = await keyOf(id);
    expect(provider.requests(key)).toBe(1);
    expect(provider.effects.get(key)).toBe(1);
    expect((await callsOf(rig, id)).map((c) => [c.attempt, c.outcome, c.code])).toEqual([
      [1, 'retry', 'server_error'],
      [2, 'retry', 'server_error'],
      [3, 'succeeded', undefined],
    ]);
  });

  it('aborts a call that exceeds the operation’s timeout and retries it; the provider still books once', async () => {
    const { id } = await start();
    provider.failNext(1, 'slow');
    await rig.runJobs();
    expect((await rig.jobsOf(id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringMatching(/^timeout/),
    });
    // The slow request is still carried out at the provider after the engine gave up on it; the retry finds it.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    rig.clock.advance(10_000);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('awaitPayment');
    const key = await keyOf(id);
    expect(provider.requests(key)).toBe(2);
    expect(provider.effects.get(key)).toBe(1);
    expect((await callsOf(rig, id)).map((c) => [c.outcome, c.code])).toEqual([
      ['retry', 'timeout'],
      ['succeeded', undefined],
    ]);
  });

  it('turns a permanent error into an incident at once; an admin fixes the key and retries it', async () => {
    await rig.configure('payment@1', { baseUrl: provider.url }, { apiKey: 'falsch' });
    const { id } = await start();
    await rig.runJobs();
    const [job] = await rig.jobsOf(id);
    expect(job).toMatchObject({ status: 'incident', attempts: 1, lastError: expect.stringMatching(/^unauthorized/) });
    const incidents = await rig.call('GET', '/api/incidents', { token: admin });
    expect(incidents.body.map((i: { id: string }) => i.id)).toContain(job!.id);
    expect((await rig.historyOf(id)).map((h) => h.kind)).toEqual(['started', 'call', 'incident']);

    await rig.configure('payment@1', { baseUrl: provider.url }, { apiKey: 'pay-key' });
    expect((await rig.call('POST', `/api/incidents/${job!.id}/retry`, { token: admin })).status).toBe(200);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('awaitPayment');
    expect(provider.effects.get(job!.idempotencyKey)).toBe(1);
    expect((await callsOf(rig, id)).map((c) => c.outcome)).toEqual(['incident', 'succeeded']);
  });

  it('keeps personal data out of the call entries', async () => {
    const { id } = await start();
    await rig.runJobs();
    for (const entry of await rig.historyOf(id)) {
      if (entry.kind !== 'call') continue;
      expect(Object.keys(entry.detail ?? {}).sort()).toEqual(
        ['attempt', 'connector', 'durationMs', 'jobId', 'operation', 'outcome'].sort(),
      );
    }
  });
});
