import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postboxConnector } from '../../connectors/postbox/postbox.connector.ts';
import { type PostboxCounterpart, startPostboxCounterpart } from '../../connectors/postbox/postbox.counterpart.ts';
import { callsOf, postboxProcedure, type Rig, startRig, withTimeout } from './rig.ts';

/** The postbox connector through the real job runner against the postbox counterpart over HTTP. */
describe('postbox@1 through the job runner', () => {
  let rig: Rig;
  let postbox: PostboxCounterpart;
  let admin: string;

  beforeAll(async () => {
    postbox = await startPostboxCounterpart({ apiKey: 'pf-key', slowMs: 1500 });
    rig = await startRig({
      connectors: [withTimeout(postboxConnector, 300)],
      breakers: { failureThreshold: 100 },
    });
    await rig.configure('postbox@1', { baseUrl: postbox.url }, { apiKey: 'pf-key' });
    await rig.publish(postboxProcedure());
    admin = await rig.login('admin');
  });
  afterAll(async () => {
    await rig.close();
    await postbox.close();
  });

  const start = () => rig.start('postbox-probe');
  const keyOf = async (caseId: string) => (await rig.jobsOf(caseId))[0]!.idempotencyKey;

  it('delivers the notice once; the citizen reads it through the secret link of the tracking code', async () => {
    const { id, trackingCode } = await start();
    await rig.runJobs();
    const after = await rig.caseOf(id);
    expect(after.state).toBe('delivered');
    const key = await keyOf(id);
    expect(postbox.deliveries(key)).toBe(1);
    const message = postbox.messages.find((m) => m.idempotencyKey === key)!;
    expect(message).toMatchObject({ recipient: trackingCode, messageId: after.vars.messageId });
    expect(message.attachments?.[0]).toMatchObject({ filename: 'bescheid.pdf', contentType: 'application/pdf' });
    const inbox = await (await fetch(postbox.inboxUrl(trackingCode)!)).text();
    expect(inbox).toContain(message.subject);
    expect((await callsOf(rig, id)).map((c) => [c.connector, c.operation, c.attempt, c.outcome])).toEqual([
      ['postbox@1', 'deliver', 1, 'succeeded'],
    ]);
  });

  it('retries a 5xx answer and a dropped connection, and delivers once', async () => {
    const { id } = await start();
    postbox.failNext(1, '500');
    postbox.failNext(1, 'reset');
    await rig.runJobs();
    rig.clock.advance(10_000);
    await rig.runJobs();
    rig.clock.advance(20_000);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('delivered');
    expect(postbox.deliveries(await keyOf(id))).toBe(1);
    expect((await callsOf(rig, id)).map((c) => [c.outcome, c.code])).toEqual([
      ['retry', 'server_error'],
      ['retry', 'unavailable'],
      ['succeeded', undefined],
    ]);
  });

  it('aborts a delivery that exceeds the timeout; the retry does not deliver a second time', async () => {
    const { id } = await start();
    postbox.failNext(1, 'slow');
    await rig.runJobs();
    expect((await rig.jobsOf(id))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringMatching(/^timeout/),
    });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    rig.clock.advance(10_000);
    await rig.runJobs();
    expect((await rig.caseOf(id)).state).toBe('delivered');
    const key = await keyOf(id);
    expect(postbox.requests(key)).toBe(2);
    expect(postbox.deliveries(key)).toBe(1);
  });

  it('makes an incident of a permanent error and of used-up attempts; admin retries deliver once', async () => {
    await rig.configure('postbox@1', { baseUrl: postbox.url }, { apiKey: 'falsch' });
    const rejected = await start();
    await rig.runJobs();
    const [final] = await rig.jobsOf(rejected.id);
    expect(final).toMatchObject({ status: 'incident', attempts: 1, lastError: expect.stringMatching(/^unauthorized/) });
    await rig.configure('postbox@1', { baseUrl: postbox.url }, { apiKey: 'pf-key' });

    const exhausted = await start();
    postbox.failNext(3, '500');
    await rig.runJobs();
    rig.clock.advance(10_000);
    await rig.runJobs();
    rig.clock.advance(20_000);
    await rig.runJobs();
    const [used] = await rig.jobsOf(exhausted.id);
    expect(used).toMatchObject({ status: 'incident', attempts: 3 });

    for (const job of [final!, used!]) {
      expect((await rig.call('POST', `/api/incidents/${job.id}/retry`, { token: admin })).status).toBe(200);
    }
    await rig.runJobs();
    for (const { id } of [rejected, exhausted]) {
      expect((await rig.caseOf(id)).state).toBe('delivered');
      expect(postbox.deliveries(await keyOf(id))).toBe(1);
    }
    expect((await callsOf(rig, exhausted.id)).map((c) => c.outcome)).toEqual([
      'retry',
      'retry',
      'incident',
      'succeeded',
    ]);
  });
});
